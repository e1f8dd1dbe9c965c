using System.Net;

namespace Gateway.Tests.RuntimeApi;

/// <summary>How one function error reaches the client of each entry point (wire contract §4).</summary>
internal static class FunctionErrorResponses
{
    /// <summary>
    /// The HTTP trigger answers 502 <c>Internal Server Error</c>; the invocation API answers 200 with
    /// <c>X-Fc-Error-Type: UnhandledInvocationError</c>, whose response is returned for its body to be checked.
    /// </summary>
    public static async Task<HttpResponseMessage> AssertAsync(Task<HttpResponseMessage> triggered, Task<HttpResponseMessage> invoked, TimeSpan bound)
    {
        var triggerResponse = await triggered.WaitAsync(bound);
        Assert.Equal(HttpStatusCode.BadGateway, triggerResponse.StatusCode);
        Assert.Equal("Internal Server Error", await triggerResponse.Content.ReadAsStringAsync());
        var invokeResponse = await invoked.WaitAsync(bound);
        Assert.Equal(HttpStatusCode.OK, invokeResponse.StatusCode);
        Assert.Equal("UnhandledInvocationError", invokeResponse.Headers.GetValues("X-Fc-Error-Type").Single());
        return invokeResponse;
    }
}
