using System.Text.Json.Nodes;
using FcGateway.Dialects;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using static Gateway.Tests.Events.EventRequests;

namespace Gateway.Tests.Events;

/// <summary>The seed's example events, written from the requests they came from.</summary>
public sealed class HttpTriggerEventSeedExampleTests
{
    [Fact]
    public void Write_SeedGetExample_MatchesSeedEvent()
    {
        const string Seed = """
            {"version":"v1","rawPath":"/","headers":{"Accept":"*/*","User-Agent":"CurlHttpClient"},"queryParameters":{"parameter1":"value1","parameter2":"value2"},"body":"","isBase64Encoded":true,"requestContext":{"accountId":"1327**********","domainName":"example.cn-hangzhou.fcapp.run","domainPrefix":"example","requestId":"1-67aee50c-****-**********","time":"2025-02-14T06:39:08Z","timeEpoch":"1739515148145","http":{"method":"GET","path":"/","protocol":"HTTP/1.1","sourceIp":"40.XX.XX.XX","userAgent":"CurlHttpClient"}}}
            """;
        var request = SeedRequest("GET", Headers(("Accept", "*/*"), ("User-Agent", "CurlHttpClient")), [], new QueryCollection(new Dictionary<string, StringValues>
        {
            ["parameter1"] = "value1",
            ["parameter2"] = "value2",
        }));

        AssertMatchesSeed(Seed, request);
    }

    /// <remarks>
    /// The seed's POST example gives <c>userAgent</c> as <c>CurlHttpClient</c> although the request's
    /// User-Agent is <c>curl/8.7.1</c> (copied from the GET example); the contract takes <c>userAgent</c>
    /// from the header, so the expected value follows the header.
    /// </remarks>
    [Fact]
    public void Write_SeedPostExample_MatchesSeedEvent()
    {
        const string Seed = """
            {"version":"v1","rawPath":"/","headers":{"Accept":"*/*","Content-Length":"20","Content-Type":"application/json","User-Agent":"curl/8.7.1"},"queryParameters":{},"body":"{\"message\": \"Hello\"}","isBase64Encoded":false,"requestContext":{"accountId":"1327**********","domainName":"example.cn-hangzhou.fcapp.run","domainPrefix":"example","requestId":"1-67aee50c-****-**********","time":"2025-02-14T06:39:08Z","timeEpoch":"1739515148145","http":{"method":"POST","path":"/","protocol":"HTTP/1.1","sourceIp":"40.XX.XX.XX","userAgent":"CurlHttpClient"}}}
            """;
        var headers = Headers(("Accept", "*/*"), ("Content-Length", "20"), ("Content-Type", "application/json"), ("User-Agent", "curl/8.7.1"));
        var request = SeedRequest("POST", headers, "{\"message\": \"Hello\"}"u8.ToArray(), QueryCollection.Empty);

        var text = WriteText(request);

        AssertMatchesSeed(Seed, request, userAgent: "curl/8.7.1");
        Assert.Contains("\"body\":\"{\\\"message\\\": \\\"Hello\\\"}\"", text, StringComparison.Ordinal);
    }

    private static EventRequest SeedRequest(string method, HeaderDictionary headers, byte[] body, IQueryCollection query) =>
        Create(
            headers: headers,
            query: query,
            body: body,
            method: method,
            domainName: "example.cn-hangzhou.fcapp.run",
            sourceIp: "40.10.20.30",
            forwardedFor: "40.10.20.30") with
        {
            AccountId = "1327**********",
            RequestId = "1-67aee50c-****-**********",
            Time = DateTimeOffset.FromUnixTimeMilliseconds(1739515148145),
        };

    private static void AssertMatchesSeed(string seed, in EventRequest request, string? userAgent = null)
    {
        var expected = JsonNode.Parse(seed)!.AsObject();
        expected["headers"]!.AsObject()["X-Forwarded-For"] = "40.10.20.30";
        var http = expected["requestContext"]!["http"]!.AsObject();
        http["sourceIp"] = "40.10.20.30";
        if (userAgent is not null)
        {
            http["userAgent"] = userAgent;
        }

        var actual = JsonNode.Parse(WriteBytes(request))!;

        Assert.True(JsonNode.DeepEquals(expected, actual), $"Expected {expected.ToJsonString()}{Environment.NewLine}Actual   {actual.ToJsonString()}");
    }
}
