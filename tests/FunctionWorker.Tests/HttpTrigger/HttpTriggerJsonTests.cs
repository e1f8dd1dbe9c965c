using System.Text.Json;
using FcWorker.HttpTrigger;

namespace FcWorker.Tests.HttpTrigger;

public sealed class HttpTriggerJsonTests
{
    private const string Event = """
        {"version":"v1","rawPath":"/a%20b","body":"Hello FC!","isBase64Encoded":false,
         "headers":{"Header1":"value1"},"queryParameters":{"p":"1,2"},
         "requestContext":{"accountId":"123","domainName":"echo.cn-hangzhou.fcapp.run","domainPrefix":"echo",
           "requestId":"1-64f6cd87-e01edb1cce58240ed59b59d9","time":"2023-09-05T06:41:11Z","timeEpoch":"1693896071895",
           "http":{"method":"POST","path":"/a b","protocol":"HTTP/1.1","sourceIp":"11.11.11.11","userAgent":"curl/8.7.1"}}}
        """;

    [Fact]
    public void HttpTriggerEvent_Deserialize_ReadsEveryField()
    {
        var @event = JsonSerializer.Deserialize<HttpTriggerEvent>(Event)!;

        Assert.Equal(("v1", "/a%20b", "Hello FC!", false), (@event.Version, @event.RawPath, @event.Body, @event.IsBase64Encoded));
        Assert.Equal("value1", @event.Headers!["Header1"]);
        Assert.Equal("1,2", @event.QueryParameters!["p"]);
        var context = @event.RequestContext!;
        Assert.Equal(("123", "echo.cn-hangzhou.fcapp.run", "echo"), (context.AccountId, context.DomainName, context.DomainPrefix));
        Assert.Equal(("2023-09-05T06:41:11Z", "1693896071895"), (context.Time, context.TimeEpoch));
        Assert.Equal(("POST", "/a b", "HTTP/1.1", "11.11.11.11", "curl/8.7.1"),
            (context.Http!.Method, context.Http.Path, context.Http.Protocol, context.Http.SourceIp, context.Http.UserAgent));
    }

    [Fact]
    public void HttpTriggerEvent_ToString_IsIndentedJsonWithNulls()
    {
        var text = new HttpTriggerEvent().ToString();

        Assert.Contains("\n  \"version\": null", text, StringComparison.Ordinal);
        Assert.Contains("\"requestContext\": null", text, StringComparison.Ordinal);
    }

    [Fact]
    public void HttpTriggerResponse_Serialize_IncludesOptionalFieldsWhenSet()
    {
        var response = new HttpTriggerResponse()
            .WithStatusCode(302)
            .WithHeaders(new Dictionary<string, string> { ["Location"] = "/next" })
            .WithIsBase64Encoded(true)
            .WithBody("aGk=");

        Assert.Equal(
            """{"statusCode":302,"headers":{"Location":"/next"},"isBase64Encoded":true,"body":"aGk="}""",
            JsonSerializer.Serialize(response));
    }

    [Fact]
    public void HttpTriggerResponse_Serialize_OmitsNullHeadersAndFalseBase64LikeGoOmitempty() =>
        Assert.Equal("""{"statusCode":200,"body":""}""", JsonSerializer.Serialize(new HttpTriggerResponse()));
}
