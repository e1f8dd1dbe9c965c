using FcGateway.Dialects.FcV1.Output;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Output;

/// <summary>The output's <c>headers</c>: the values written, the reserved names ignored, what cannot be sent dropped and reported.</summary>
public sealed class WorkerOutputHeaderTests
{
    [Fact]
    public void Translate_ArrayHeaderValue_EmitsOneValuePerElement()
    {
        var result = OutputTranslations.Of("""{"statusCode":200,"headers":{"Set-Cookie":["a=1; Path=/","b=2; HttpOnly"]}}""");

        Assert.True(result.Translation.IsValid);
        Assert.Equal(["a=1; Path=/", "b=2; HttpOnly"], result.Values("Set-Cookie"));
    }

    [Theory]
    [InlineData("42", "42")]
    [InlineData("-1.5", "-1.5")]
    [InlineData("1e3", "1e3")]
    [InlineData("true", "true")]
    [InlineData("false", "false")]
    [InlineData("\"text\"", "text")]
    [InlineData("\"a\\u0020b\"", "a b")]
    [InlineData("[1,true,\"x\"]", "1|true|x")]
    public void Translate_ScalarHeaderValue_WrittenAsItsText(string value, string text)
    {
        var result = OutputTranslations.Of($$$"""{"statusCode":200,"headers":{"X-Value":{{{value}}}}}""");

        Assert.True(result.Translation.IsValid);
        Assert.Equal(text.Split('|'), result.Values("X-Value"));
        Assert.Empty(result.Dropped);
    }

    [Theory]
    [InlineData("connection")]
    [InlineData("Connection")]
    [InlineData("content-length")]
    [InlineData("Content-Length")]
    [InlineData("date")]
    [InlineData("DATE")]
    [InlineData("keep-alive")]
    [InlineData("server")]
    [InlineData("Server")]
    [InlineData("content-disposition")]
    [InlineData("Content-Disposition")]
    [InlineData("upgrade")]
    [InlineData("transfer-encoding")]
    [InlineData("te")]
    [InlineData("Proxy-Connection")]
    [InlineData("http2-settings")]
    [InlineData("TE")]
    [InlineData("Transfer-Encoding")]
    [InlineData("x-fc-request-id")]
    [InlineData("X-Fc-Request-Id")]
    [InlineData("X-FC-Error-Type")]
    [InlineData("x-fc-anything")]
    public void Translate_ReservedHeader_Ignored(string name)
    {
        var result = OutputTranslations.Of($$"""{"statusCode":200,"headers":{"{{name}}":"value","X-Kept":"yes"},"body":"ok"}""");

        Assert.True(result.Translation.IsValid);
        Assert.False(result.Headers.ContainsKey(name));
        Assert.Equal("yes", result.Headers["X-Kept"].ToString());
        Assert.Equal("ok", result.BodyText);
    }

    [Theory]
    [InlineData("My Header")]
    [InlineData("My:Header")]
    [InlineData("Héader")]
    [InlineData("中")]
    [InlineData("")]
    [InlineData("(x)")]
    [InlineData("a\\u0000b")]
    [InlineData("a\\nb")]
    public void Translate_InvalidHeaderName_DroppedAndReported(string name)
    {
        var result = OutputTranslations.Of($$$"""{"statusCode":200,"headers":{"{{{name}}}":"value","X-Kept":"yes"}}""");
        var unescaped = System.Text.Json.JsonSerializer.Deserialize<string>($"\"{name}\"")!;

        Assert.True(result.Translation.IsValid);
        Assert.Equal([unescaped], result.Dropped);
        Assert.False(result.Headers.ContainsKey(unescaped));
        Assert.Equal(["Content-Type", "X-Kept"], result.Headers.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("\"a\\rb\"")]
    [InlineData("\"a\\nb\"")]
    [InlineData("\"a\\r\\nSet-Cookie: evil=1\"")]
    [InlineData("\"a\\u0000b\"")]
    [InlineData("\"a\\u0007b\"")]
    [InlineData("\"a\\u007fb\"")]
    [InlineData("\"é\"")]
    [InlineData("\"\\u00e9\"")]
    [InlineData("\"中\"")]
    [InlineData("{\"nested\":\"object\"}")]
    [InlineData("[\"ok\",{\"nested\":1}]")]
    [InlineData("[[\"nested\"]]")]
    public void Translate_InvalidHeaderValue_DroppedAndReported(string value)
    {
        var result = OutputTranslations.Of($$$"""{"statusCode":200,"headers":{"X-Bad":{{{value}}},"X-Kept":"yes"}}""");

        Assert.True(result.Translation.IsValid);
        Assert.Equal(["X-Bad"], result.Dropped);
        Assert.False(result.Headers.ContainsKey("X-Bad"));
        Assert.Equal("yes", result.Headers["X-Kept"].ToString());
    }

    [Fact]
    public void Translate_AnArrayWithSomeInvalidValues_SendsTheValidOnes_AndReportsTheHeader()
    {
        var result = OutputTranslations.Of("""{"statusCode":200,"headers":{"Set-Cookie":["a=1","b\r\n=2","c=3"]}}""");

        Assert.True(result.Translation.IsValid);
        Assert.Equal(["Set-Cookie"], result.Dropped);
        Assert.Equal("a=1,c=3", result.Headers["Set-Cookie"].ToString());
        Assert.Equal(2, result.Headers["Set-Cookie"].Count);
    }

    [Theory]
    [InlineData("with space")]
    [InlineData("tab\\there")]
    [InlineData("!#$%&'*+-.^_`|~ \\\"quoted\\\" <>=;,/?@[]{}")]
    [InlineData("")]
    public void Translate_ValidHeaderValue_Kept(string value)
    {
        var result = OutputTranslations.Of($$$"""{"statusCode":200,"headers":{"X-Value":"{{{value}}}"}}""");
        var unescaped = System.Text.Json.JsonSerializer.Deserialize<string>($"\"{value}\"")!;

        Assert.Empty(result.Dropped);
        Assert.Equal(unescaped, result.Headers["X-Value"].ToString());
    }

    [Fact]
    public void Translate_DroppedHeadersListNull_StillDropsInvalidHeaders()
    {
        var headers = new HeaderDictionary();

        var translation = WorkerOutputTranslator.Translate("""{"statusCode":200,"headers":{"X Bad":"1","X-Good":"a\nb"}}"""u8.ToArray(), headers, 8192, OutputRules.FcV1);

        Assert.True(translation.IsValid);
        Assert.Equal(["Content-Type"], headers.Keys);
    }

    [Theory]
    [InlineData("\"\\ud800\"")]
    [InlineData("\"a\\udc00b\"")]
    [InlineData("\"\\ude00\\ud83d\"")]
    [InlineData("[\"ok\",\"\\ud800\"]")]
    public void Translate_HeaderValueWithUnpairedSurrogate_DroppedAndReported(string value)
    {
        var result = OutputTranslations.Of($$$"""{"statusCode":200,"headers":{"X-Bad":{{{value}}},"X-Kept":"yes"},"body":"ok"}""");

        Assert.True(result.Translation.IsValid);
        Assert.Equal(["X-Bad"], result.Dropped);
        Assert.Equal(["Content-Type", "X-Kept"], result.Headers.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("ok", result.BodyText);
    }

    [Fact]
    public void Translate_HeaderNameWithUnpairedSurrogate_DroppedAndReported()
    {
        var result = OutputTranslations.Of("""{"statusCode":200,"headers":{"X-\ud800":{"skipped":["value"]},"X-Kept":"yes"},"body":"ok"}""");

        Assert.True(result.Translation.IsValid);
        Assert.Equal(["X-\\ud800"], result.Dropped);
        Assert.Equal(["Content-Type", "X-Kept"], result.Headers.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("ok", result.BodyText);
    }
}
