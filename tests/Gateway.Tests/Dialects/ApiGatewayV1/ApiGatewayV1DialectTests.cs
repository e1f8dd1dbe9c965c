using System.Text;
using System.Text.Json;
using FcGateway.Dialects;
using FcGateway.Dialects.ApiGatewayV1;
using Gateway.Tests.Dialects.FunctionUrl;
using Gateway.Tests.Output;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using static Gateway.Tests.Events.EventRequests;

namespace Gateway.Tests.Dialects.ApiGatewayV1;

/// <summary>API Gateway's payload format 1.0: the REST API proxy event, and its response rules.</summary>
public sealed class ApiGatewayV1DialectTests
{
    private static async Task<JsonElement> WriteAsync(EventRequest request)
    {
        using var document = JsonDocument.Parse(await FunctionUrlEvents.WriteBytesAsync(new ApiGatewayV1Dialect(), request));
        return document.RootElement.Clone();
    }

    private static OutputTranslations Translate(string output) => OutputTranslations.Of(new ApiGatewayV1Dialect(), output);

    [Fact]
    public async Task TheEvent_HasThePayload10Fields()
    {
        var root = await WriteAsync(Create());

        Assert.Equal(
            [
                "body", "headers", "httpMethod", "isBase64Encoded", "multiValueHeaders", "multiValueQueryStringParameters", "path",
                "pathParameters", "queryStringParameters", "requestContext", "resource", "stageVariables", "version",
            ],
            PropertyNames(root).Order(StringComparer.Ordinal));
        Assert.Equal(
            [
                "accountId", "apiId", "domainName", "domainPrefix", "extendedRequestId", "httpMethod", "identity", "path", "protocol",
                "requestId", "requestTime", "requestTimeEpoch", "resourcePath", "stage",
            ],
            PropertyNames(root.GetProperty("requestContext")).Order(StringComparer.Ordinal));
        Assert.Equal("1.0", root.GetProperty("version").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("pathParameters").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("stageVariables").ValueKind);
    }

    [Fact]
    public async Task TheEvent_CarriesMethodDecodedPathAndRequestContext()
    {
        var request = Create(headers: Headers(("User-Agent", "curl/8.5.0")), rawPath: "/orders/a%20b", method: "DELETE");

        var root = await WriteAsync(request);
        var context = root.GetProperty("requestContext");

        Assert.Equal("DELETE", root.GetProperty("httpMethod").GetString());
        Assert.Equal("/orders/a b", root.GetProperty("path").GetString());
        Assert.Equal("/orders/a b", root.GetProperty("resource").GetString());
        Assert.Equal("DELETE", context.GetProperty("httpMethod").GetString());
        Assert.Equal("/orders/a b", context.GetProperty("path").GetString());
        Assert.Equal("1234567890", context.GetProperty("accountId").GetString());
        Assert.Equal("echo", context.GetProperty("apiId").GetString());
        Assert.Equal("1-64f6cd87-e01edb1cce58240ed59b59d9", context.GetProperty("requestId").GetString());
        Assert.Equal("40.1.2.3", context.GetProperty("identity").GetProperty("sourceIp").GetString());
        Assert.Equal("curl/8.5.0", context.GetProperty("identity").GetProperty("userAgent").GetString());
        Assert.Equal("05/Sep/2023:06:41:11 +0000", context.GetProperty("requestTime").GetString());
        Assert.Equal(SeedTime.ToUnixTimeMilliseconds(), context.GetProperty("requestTimeEpoch").GetInt64());
        Assert.Equal("$default", context.GetProperty("stage").GetString());
    }

    [Fact]
    public async Task Headers_KeepTheirNames_TheLastValueInHeaders_EveryValueInMultiValueHeaders()
    {
        var headers = Headers(("Content-Type", "text/plain"), ("Cookie", "a=1"), ("Cookie", "b=2"));
        headers.Append("X-Multi", new StringValues(["first", "second"]));

        var root = await WriteAsync(Create(headers: headers, forwardedFor: "1.1.1.1, 40.1.2.3"));
        var single = root.GetProperty("headers");
        var multi = root.GetProperty("multiValueHeaders");

        Assert.Equal("text/plain", single.GetProperty("Content-Type").GetString());
        Assert.Equal("second", single.GetProperty("X-Multi").GetString());
        Assert.Equal("a=1; b=2", single.GetProperty("Cookie").GetString());
        Assert.Equal("1.1.1.1, 40.1.2.3", single.GetProperty("X-Forwarded-For").GetString());
        Assert.Equal(["first", "second"], multi.GetProperty("X-Multi").EnumerateArray().Select(value => value.GetString()));
        Assert.Equal(["a=1", "b=2"], multi.GetProperty("Cookie").EnumerateArray().Select(value => value.GetString()));
        Assert.Equal(["1.1.1.1, 40.1.2.3"], multi.GetProperty("X-Forwarded-For").EnumerateArray().Select(value => value.GetString()));
    }

    [Fact]
    public async Task Query_TheLastValueInQueryStringParameters_EveryValueInTheMultiValueOne()
    {
        var query = new Dictionary<string, StringValues> { ["id"] = "7", ["tag"] = new(["a", "b"]) };

        var root = await WriteAsync(Create(query: query, rawQueryString: "id=7&tag=a&tag=b"));

        Assert.Equal("7", root.GetProperty("queryStringParameters").GetProperty("id").GetString());
        Assert.Equal("b", root.GetProperty("queryStringParameters").GetProperty("tag").GetString());
        Assert.Equal(["a", "b"], root.GetProperty("multiValueQueryStringParameters").GetProperty("tag").EnumerateArray().Select(value => value.GetString()));
    }

    [Fact]
    public async Task NoQuery_IsNullInBothQueryFields()
    {
        var root = await WriteAsync(Create());

        Assert.Equal(JsonValueKind.Null, root.GetProperty("queryStringParameters").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("multiValueQueryStringParameters").ValueKind);
    }

    [Theory]
    [InlineData("text/plain", "héllo", false)]
    [InlineData("application/octet-stream", "\u0001\u0002", true)]
    public async Task TheBody_IsTextOrBase64_ByFcsMediaTypeRule(string contentType, string body, bool base64)
    {
        var bytes = Encoding.UTF8.GetBytes(body);

        var root = await WriteAsync(Create(headers: TextHeaders(contentType), body: bytes));

        Assert.Equal(base64, root.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal(base64 ? Convert.ToBase64String(bytes) : body, root.GetProperty("body").GetString());
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task NoBody_IsNull_AndNotBase64_AsApiGatewayWritesIt(string method)
    {
        var root = await WriteAsync(Create(method: method));

        Assert.Equal(JsonValueKind.Null, root.GetProperty("body").ValueKind);
        Assert.False(root.GetProperty("isBase64Encoded").GetBoolean());
    }

    [Theory]
    [InlineData("\"just a string\"")]
    [InlineData("""{"body":"no statusCode"}""")]
    [InlineData("plain text")]
    public void AnOutputThatIsNoProxyResponse_IsABadResponse_AsApiGatewayAnswersIt502(string output)
    {
        var result = Translate(output);

        Assert.False(result.Translation.IsValid);
        Assert.Contains("not a proxy response", result.Translation.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void MultiValueHeaders_AreOneLinePerValue_AsManySetCookiesAsGiven()
    {
        var result = Translate("""{"statusCode":200,"multiValueHeaders":{"Set-Cookie":["a=1; Path=/","b=2"],"X-A":["x"]},"body":"ok"}""");

        Assert.True(result.Translation.IsValid);
        Assert.Equal(["a=1; Path=/", "b=2"], result.Values("Set-Cookie"));
        Assert.Equal(["x"], result.Values("X-A"));
        Assert.Equal("ok", result.BodyText);
    }

    [Fact]
    public void HeadersAndMultiValueHeaders_AreMerged_APairInBothSentOnce()
    {
        var result = Translate(
            """{"statusCode":201,"headers":{"X-A":"x","X-B":"only here","Content-Type":"text/plain"},"multiValueHeaders":{"X-A":["x"],"Content-Type":["text/plain"]}}""");

        Assert.Equal(201, result.Translation.StatusCode);
        Assert.Equal(["x"], result.Values("X-A"));
        Assert.Equal(["only here"], result.Values("X-B"));
        Assert.Equal(["text/plain"], result.Values("Content-Type"));
    }

    [Fact]
    public void AHeaderInBothWithAnotherValue_KeepsBoth()
    {
        var result = Translate("""{"statusCode":200,"headers":{"X-A":"single"},"multiValueHeaders":{"X-A":["multi"]}}""");

        Assert.Equal(["multi", "single"], result.Values("X-A"));
    }

    [Fact]
    public void MultiValueHeadersOfAReservedName_AreIgnored_AsInHeaders()
    {
        var result = Translate("""{"statusCode":200,"multiValueHeaders":{"X-Fc-Request-Id":["forged"],"Content-Length":["1"]}}""");

        Assert.True(result.Translation.IsValid);
        Assert.Empty(result.Values("X-Fc-Request-Id"));
        Assert.Empty(result.Values("Content-Length"));
    }

    [Fact]
    public void MultiValueHeaders_CountTowardsTheHeaderLimit()
    {
        var value = new string('v', 5000);
        var result = OutputTranslations.Of(new ApiGatewayV1Dialect(), $$$"""{"statusCode":200,"multiValueHeaders":{"X-A":["{{{value}}}","{{{value}}}"]}}""", 8192);

        Assert.False(result.Translation.IsValid);
    }
}
