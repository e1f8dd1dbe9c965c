using System.Text.Json;

namespace FcWorker.Tests.TestHelpers;

/// <summary>Assertions on the worker's replies.</summary>
public static class FcReply
{
    public static string FcStatus(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-fc-status", out var values) ? string.Join(",", values) : "";

    /// <summary>Asserts a successful invocation (200 and <c>x-fc-status: 200</c>) and returns its body.</summary>
    public static async Task<string> AssertSuccessAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {body}");
        Assert.Equal("200", FcStatus(response));
        return body;
    }

    /// <summary>Asserts a failed invocation (404 and <c>x-fc-status: 404</c>) and returns its error body.</summary>
    public static async Task<JsonElement> AssertFunctionErrorAsync(HttpResponseMessage response, string errorType)
    {
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("404", FcStatus(response));
        var error = await ReadJsonAsync(response);
        Assert.Equal(errorType, error.GetProperty("errorType").GetString());
        return error;
    }

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }
}
