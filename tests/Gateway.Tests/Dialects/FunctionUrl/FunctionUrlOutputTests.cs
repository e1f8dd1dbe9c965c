using System.Globalization;
using System.Text;
using FcGateway.Dialects.FunctionUrl;
using Gateway.Tests.Output;

namespace Gateway.Tests.Dialects.FunctionUrl;

/// <summary>The function URL response rules (wire contract §14): FC's output rules plus <c>cookies</c>.</summary>
public sealed class FunctionUrlOutputTests
{
    private static OutputTranslations Translate(string output, int maxHeaderBytes = 8192) =>
        OutputTranslations.Of(new FunctionUrlDialect(), output, maxHeaderBytes);

    [Theory]
    [InlineData("""{"statusCode":201,"headers":{"X-A":"1","Content-Type":"text/plain"},"body":"made"}""", 201, "made", "text/plain")]
    [InlineData("""{"statusCode":404,"body":"missing"}""", 404, "missing", "application/json")]
    [InlineData("""{"statusCode":204}""", 204, "", "application/json")]
    [InlineData("""{"body":"first","statusCode":302,"headers":{"Location":"/next"}}""", 302, "first", "application/json")]
    public void Translate_ResponseObject_GivesStatusHeadersAndBody(string output, int status, string body, string contentType)
    {
        var result = Translate(output);

        Assert.True(result.Translation.IsValid);
        Assert.Equal(status, result.Translation.StatusCode);
        Assert.Equal(body, result.BodyText);
        Assert.Equal([contentType], result.Values("Content-Type"));
    }

    [Fact]
    public void Translate_HeaderArray_OneLinePerElement()
    {
        var result = Translate("""{"statusCode":200,"headers":{"X-List":["a","b"]}}""");

        Assert.Equal(["a", "b"], result.Values("X-List"));
    }

    [Theory]
    [InlineData("SGVsbG8sIExhbWJkYSE=", true, "Hello, Lambda!")]
    [InlineData("SGVsbG8sIExhbWJkYSE=", false, "SGVsbG8sIExhbWJkYSE=")]
    [InlineData("not base64!", true, "not base64!")]
    public void Translate_IsBase64Encoded_DecodesTheBody(string body, bool isBase64Encoded, string sent)
    {
        var result = Translate($$"""{"statusCode":200,"body":"{{body}}","isBase64Encoded":{{(isBase64Encoded ? "true" : "false")}}}""");

        Assert.True(result.Translation.IsValid);
        Assert.Equal(sent, result.BodyText);
    }

    [Theory]
    [InlineData("""["a=1; Path=/"]""", new[] { "a=1; Path=/" })]
    [InlineData("""["a=1; Path=/","b=2; HttpOnly","c=3; Secure; SameSite=Lax"]""", new[] { "a=1; Path=/", "b=2; HttpOnly", "c=3; Secure; SameSite=Lax" })]
    [InlineData("[]", new string[0])]
    [InlineData("null", new string[0])]
    public void Translate_Cookies_EachASetCookieHeader(string cookies, string[] setCookies)
    {
        var result = Translate($$"""{"statusCode":200,"cookies":{{cookies}},"body":"ok"}""");

        Assert.True(result.Translation.IsValid);
        Assert.Equal(setCookies, result.Values("Set-Cookie"));
        Assert.Empty(result.Dropped);
    }

    [Fact]
    public void Translate_CookiesAndSetCookieHeader_BothSent()
    {
        var result = Translate("""{"statusCode":200,"headers":{"Set-Cookie":"h=1"},"cookies":["c=2"]}""");

        Assert.Equal(["h=1", "c=2"], result.Values("Set-Cookie"));
    }

    [Theory]
    [InlineData("""["a=1\r\nX-Evil: 1"]""")]
    [InlineData("""["a=1",{"b":2}]""")]
    [InlineData("""{"a":"1"}""")]
    public void Translate_InvalidCookies_DroppedAndReportedLikeAnInvalidHeader(string cookies)
    {
        var result = Translate($$"""{"statusCode":200,"headers":{"X-A":"1"},"cookies":{{cookies}},"body":"ok"}""");

        Assert.True(result.Translation.IsValid);
        Assert.False(result.Headers.ContainsKey("Set-Cookie"));
        Assert.False(result.Headers.ContainsKey("X-Evil"));
        Assert.Equal(["Set-Cookie"], result.Dropped);
        Assert.Equal(["1"], result.Values("X-A"));
    }

    [Fact]
    public void Translate_CookieWithAControlCharacter_DroppedAloneAsInAHeaderArray()
    {
        var result = Translate("""{"statusCode":200,"cookies":["a=1","b=2\r\nX-Evil: 1","c=3"],"body":"ok"}""");

        Assert.True(result.Translation.IsValid);
        Assert.Equal(["a=1", "c=3"], result.Values("Set-Cookie"));
        Assert.False(result.Headers.ContainsKey("X-Evil"));
        Assert.Equal(["Set-Cookie"], result.Dropped);
    }

    [Theory]
    [InlineData(100, 80, true)]
    [InlineData(100, 95, false)]
    public void Translate_CookiesCountTowardsTheHeaderLimit(int maxHeaderBytes, int cookieLength, bool valid)
    {
        var cookie = "a=" + new string('v', cookieLength - 2);

        var result = Translate($$"""{"statusCode":200,"cookies":["{{cookie}}"]}""", maxHeaderBytes);

        Assert.Equal(valid, result.Translation.IsValid);
        if (!valid)
        {
            Assert.Contains(maxHeaderBytes.ToString(CultureInfo.InvariantCulture), result.Translation.Error, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("Hello, Lambda!")]
    [InlineData("\"a JSON string\"")]
    [InlineData("[1,2,3]")]
    [InlineData("42")]
    [InlineData("""{"message":"no statusCode"}""")]
    [InlineData("""{"headers":{"X-A":"1"},"body":"x","cookies":["a=1"]}""")]
    [InlineData("{ broken")]
    [InlineData("")]
    public void Translate_NotAnObjectWithStatusCode_Is200ApplicationJsonWithTheOutputBytes(string output)
    {
        var result = Translate(output);

        Assert.True(result.Translation.IsValid);
        Assert.Equal(200, result.Translation.StatusCode);
        Assert.Equal(["application/json"], result.Values("Content-Type"));
        Assert.Equal(Encoding.UTF8.GetBytes(output), result.Body);
        Assert.False(result.Headers.ContainsKey("Set-Cookie"));
        Assert.False(result.Headers.ContainsKey("X-A"));
    }

    [Theory]
    [InlineData("\"302\"", 302)]
    [InlineData("\"200\"", 200)]
    [InlineData("\"599\"", 599)]
    [InlineData("\"\\u0032\\u0030\\u0031\"", 201)]
    [InlineData("\"2\\u00300\"", 200)]
    public void Translate_StatusCodeAsAStringOfDigits_IsThatStatus_AsAwsFunctionUrlsTakeIt(string statusCode, int status)
    {
        var result = Translate($$"""{"statusCode":{{statusCode}},"headers":{"Location":"/next"},"body":"moved"}""");

        Assert.True(result.Translation.IsValid);
        Assert.Equal(status, result.Translation.StatusCode);
        Assert.Equal("moved", result.BodyText);
        Assert.Equal(["/next"], result.Values("Location"));
    }

    [Theory]
    [InlineData("100")]
    [InlineData("600")]
    [InlineData("200.5")]
    [InlineData("\"1\"")]
    [InlineData("\"199\"")]
    [InlineData("\"600\"")]
    [InlineData("\"0200\"")]
    [InlineData("\"200.0\"")]
    [InlineData("\" 200\"")]
    [InlineData("\"+200\"")]
    [InlineData("\"\\u0030\\u0032\\u0030\\u0031\"")]
    [InlineData("\"\\u0032\\u0030\\u0030\\u0030\"")]
    [InlineData("\"\\u0032\\u0030\\u0030\\u0020\"")]
    [InlineData("\"\\u0031\\u0039\\u0039\"")]
    [InlineData("\"\"")]
    [InlineData("\"OK\"")]
    [InlineData("null")]
    public void Translate_InvalidStatusCode_IsInvalid(string statusCode)
    {
        var result = Translate($$"""{"statusCode":{{statusCode}},"cookies":["a=1"],"body":"ok"}""");

        Assert.False(result.Translation.IsValid);
        Assert.Contains("statusCode", result.Translation.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Connection")]
    [InlineData("Content-Length")]
    [InlineData("Date")]
    [InlineData("Server")]
    [InlineData("Transfer-Encoding")]
    [InlineData("x-fc-request-id")]
    public void Translate_ReservedHeader_Ignored(string name)
    {
        var result = Translate($$$"""{"statusCode":200,"headers":{"{{{name}}}":"forged","X-A":"1"}}""");

        Assert.True(result.Translation.IsValid);
        Assert.False(result.Headers.ContainsKey(name));
        Assert.Equal(["1"], result.Values("X-A"));
    }

    [Theory]
    [InlineData(100, 90, true)]
    [InlineData(100, 200, false)]
    public void Translate_HeadersOverTheLimit_IsInvalid(int maxHeaderBytes, int valueLength, bool valid)
    {
        var result = Translate($$$"""{"statusCode":200,"headers":{"X-Big":"{{{new string('v', valueLength)}}}"}}""", maxHeaderBytes);

        Assert.Equal(valid, result.Translation.IsValid);
    }
}
