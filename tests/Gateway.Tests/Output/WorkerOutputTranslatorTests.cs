using System.Text;
using FcGateway.Dialects.FcV1.Output;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Output;

public sealed class WorkerOutputTranslatorTests
{
    /// <summary>Valid JSON nested past System.Text.Json's default 64 levels is still a response, as Go's encoding/json reads it.</summary>
    [Theory]
    [InlineData(64)]
    [InlineData(1000)]
    public void Translate_ABodyNestedDeep_IsStillTheResponse(int depth)
    {
        var nested = new string('[', depth) + new string(']', depth);

        var result = OutputTranslations.Of($$"""{"statusCode":201,"headers":{"X-Deep":"yes"},"body":{{nested}}}""");

        Assert.True(result.Translation.IsValid);
        Assert.Equal(201, result.Translation.StatusCode);
        Assert.Equal("yes", result.Headers["X-Deep"].ToString());
        Assert.Equal(nested, result.BodyText);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(201)]
    [InlineData(204)]
    [InlineData(302)]
    [InlineData(404)]
    [InlineData(500)]
    [InlineData(599)]
    public void Translate_StatusCodeInRange_IsResponseStatus(int statusCode)
    {
        var result = OutputTranslations.Of($$"""{"statusCode":{{statusCode}},"body":"ok"}""");

        Assert.True(result.Translation.IsValid);
        Assert.Null(result.Translation.Error);
        Assert.Equal(statusCode, result.Translation.StatusCode);
        Assert.Equal("ok", result.BodyText);
    }

    [Theory]
    [InlineData("""{"statusCode":200,"headers":{"content-type":"text/plain","Content-Type":"text/html"},"body":"ok"}""", "text/html")]
    [InlineData("""{"statusCode":200,"headers":{"Content-Type":["text/plain","text/csv"]},"body":"ok"}""", "text/csv")]
    [InlineData("""{"statusCode":200,"headers":{"X-A":"1","CONTENT-TYPE":"text/plain"},"body":"ok"}""", "text/plain")]
    public void Translate_ContentTypeGivenTwice_IsOneHeader_TheLast(string output, string contentType)
    {
        var result = OutputTranslations.Of(output);

        Assert.True(result.Translation.IsValid);
        Assert.Equal([contentType], result.Values("Content-Type"));
    }

    [Theory]
    [InlineData("99")]
    [InlineData("100")]
    [InlineData("101")]
    [InlineData("103")]
    [InlineData("199")]
    [InlineData("600")]
    [InlineData("0")]
    [InlineData("-200")]
    [InlineData("200.5")]
    [InlineData("2.5e2")]
    [InlineData("99999999999")]
    [InlineData("\"200\"")]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("{}")]
    [InlineData("{\"code\":200}")]
    [InlineData("[200]")]
    public void Translate_StatusCodeNotAnIntegerInRange_IsInvalidWithError(string statusCode)
    {
        var result = OutputTranslations.Of($$"""{"statusCode":{{statusCode}},"headers":{"X-A":"1"},"body":"ok"}""");

        Assert.False(result.Translation.IsValid);
        Assert.False(string.IsNullOrWhiteSpace(result.Translation.Error));
        Assert.Contains("statusCode", result.Translation.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"statusCode":200}""")]
    [InlineData("""{"statusCode":200,"headers":{}}""")]
    [InlineData("""{"statusCode":200,"headers":{"X-A":"1"}}""")]
    [InlineData("""{"statusCode":200,"headers":null}""")]
    [InlineData("""{"statusCode":200,"headers":{"Content-Type":null}}""")]
    [InlineData("""{"statusCode":200,"headers":{"Content-Type":"text/plain\r\n"}}""")]
    [InlineData("""{"statusCode":200,"headers":{"Content-Type":""}}""")]
    [InlineData("""{"statusCode":200,"headers":{"content-type":"text/plain","Content-Type":""}}""")]
    public void Translate_NoContentType_DefaultsToApplicationJson(string output)
    {
        var result = OutputTranslations.Of(output);

        Assert.True(result.Translation.IsValid);
        Assert.Equal("application/json", result.Headers.ContentType.ToString());
        Assert.Single(result.Headers.ContentType);
    }

    [Fact]
    public void Translate_FcRulesAndCookies_CookiesIgnored()
    {
        var result = OutputTranslations.Of("""{"statusCode":200,"cookies":["a=1"],"body":"ok"}""");

        Assert.True(result.Translation.IsValid);
        Assert.False(result.Headers.ContainsKey("Set-Cookie"));
        Assert.Equal("ok", result.BodyText);
    }

    [Theory]
    [InlineData("Content-Type")]
    [InlineData("content-type")]
    [InlineData("CONTENT-TYPE")]
    [InlineData("Content-type")]
    public void Translate_ContentTypeGiven_KeptInAnyCase(string name)
    {
        var result = OutputTranslations.Of($$"""{"statusCode":200,"headers":{"{{name}}":"text/html; charset=utf-8"},"body":"<p>hi</p>"}""");

        Assert.True(result.Translation.IsValid);
        Assert.Equal(["text/html; charset=utf-8"], result.Values("Content-Type"));
        Assert.Equal("<p>hi</p>", result.BodyText);
    }

    [Theory]
    [InlineData("\"Hello FC!\"", "Hello FC!")]
    [InlineData("\"\"", "")]
    [InlineData("\"{\\\"message\\\":\\\"Hello FC!\\\"}\"", "{\"message\":\"Hello FC!\"}")]
    [InlineData("\"line1\\nline2\"", "line1\nline2")]
    [InlineData("\"tab\\there\"", "tab\there")]
    [InlineData("\"back\\\\slash\\/\"", "back\\slash/")]
    [InlineData("\"\\u00e9\"", "é")]
    [InlineData("\"é中😀\"", "é中😀")]
    [InlineData("\"\\ud83d\\ude00\"", "😀")]
    [InlineData("\"\\u0000\"", "\0")]
    [InlineData("\"mixed é \\u4e2d \\\"q\\\"\"", "mixed é 中 \"q\"")]
    public void Translate_StringBody_SentAsItsUtf8Bytes(string body, string sent)
    {
        var result = OutputTranslations.Of($$"""{"statusCode":200,"body":{{body}}}""");

        Assert.True(result.Translation.IsValid);
        Assert.Equal(Encoding.UTF8.GetBytes(sent), result.Body);
    }

    [Theory]
    [InlineData("""{"message":"Hello, world!"}""")]
    [InlineData("""{ "message" : "Hello, world!", "n" : [1, 2.5, null] }""")]
    [InlineData("""{"escaped":"a\"b\u00e9"}""")]
    [InlineData("{}")]
    [InlineData("""[1,"two",{"three":3}]""")]
    [InlineData("[ ]")]
    [InlineData("42")]
    [InlineData("-1.5e3")]
    [InlineData("0")]
    [InlineData("true")]
    [InlineData("false")]
    public void Translate_NonStringBody_SentAsItsExactJsonText(string body)
    {
        var result = OutputTranslations.Of($$"""{"statusCode":201,"body":{{body}},"isBase64Encoded":false}""");

        Assert.True(result.Translation.IsValid);
        Assert.Equal(201, result.Translation.StatusCode);
        Assert.Equal(body, result.BodyText);
    }

    [Fact]
    public void Translate_NonStringBodyFollowedByOtherFields_SentAsItsExactJsonText()
    {
        var result = OutputTranslations.Of("""{"body": {"a":{"b":[1,2]}} , "statusCode": 200, "headers": {"X-A": "1"}}""");

        Assert.Equal("""{"a":{"b":[1,2]}}""", result.BodyText);
        Assert.Equal("1", result.Headers["X-A"].ToString());
    }

    [Theory]
    [InlineData("""{"statusCode":200}""")]
    [InlineData("""{"statusCode":200,"body":null}""")]
    [InlineData("""{"statusCode":200,"body":null,"isBase64Encoded":true}""")]
    [InlineData("""{"statusCode":200,"body":"","isBase64Encoded":true}""")]
    public void Translate_BodyNullOrMissing_IsEmpty(string output)
    {
        var result = OutputTranslations.Of(output);

        Assert.True(result.Translation.IsValid);
        Assert.Empty(result.Body);
    }

    [Theory]
    [InlineData("SGVsbG8gRkMh", "Hello FC!")]
    [InlineData("SGVsbG8=", "Hello")]
    [InlineData("SGVsbG8\\u003d", "Hello")]
    [InlineData("SGVs\\/bG8=", "SGVs/bG8=")]
    [InlineData("w6k=", "é")]
    [InlineData("aGVsbG9=", "hello")] // the bits "=" leaves unused are set: Go and Python decode it, ignoring them
    [InlineData("aR==", "i")]
    public void Translate_Base64Body_Decoded(string body, string sent)
    {
        var result = OutputTranslations.Of($$"""{"statusCode":200,"isBase64Encoded":true,"body":"{{body}}"}""");

        Assert.True(result.Translation.IsValid);
        Assert.Equal(sent, result.BodyText);
    }

    [Fact]
    public void Translate_Base64BodyOfEveryByteValue_DecodedExactly()
    {
        var bytes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();

        var result = OutputTranslations.Of($$"""{"body":"{{Convert.ToBase64String(bytes)}}","isBase64Encoded":true,"statusCode":200}""");

        Assert.Equal(bytes, result.Body);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("SGVsbG8")]
    [InlineData("SGVsbG8==")]
    [InlineData("aGVsb!9=")]
    [InlineData("aG!sbG9=")]
    [InlineData("é")]
    [InlineData("a\\\"b")]
    public void Translate_InvalidBase64Body_SentAsIs(string body)
    {
        var result = OutputTranslations.Of($$"""{"statusCode":200,"isBase64Encoded":true,"body":"{{body}}"}""");

        Assert.True(result.Translation.IsValid);
        Assert.Equal(body.Replace("\\\"", "\"", StringComparison.Ordinal), result.BodyText);
    }

    [Theory]
    [InlineData("false")]
    [InlineData("\"true\"")]
    [InlineData("1")]
    [InlineData("null")]
    public void Translate_IsBase64EncodedNotTrue_BodyNotDecoded(string isBase64Encoded)
    {
        var result = OutputTranslations.Of($$"""{"statusCode":200,"isBase64Encoded":{{isBase64Encoded}},"body":"SGVsbG8="}""");

        Assert.Equal("SGVsbG8=", result.BodyText);
    }

    [Fact]
    public void Translate_Base64NonStringBody_SentAsJsonText()
    {
        var result = OutputTranslations.Of("""{"statusCode":200,"isBase64Encoded":true,"body":{"a":1}}""");

        Assert.Equal("""{"a":1}""", result.BodyText);
    }

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
    [InlineData(100, 90, true)]
    [InlineData(100, 200, false)]
    [InlineData(8192, 8000, true)]
    [InlineData(8192, 9000, false)]
    public void Translate_HeadersSize_OverLimitIsInvalid(int maxHeaderBytes, int valueLength, bool valid)
    {
        var result = OutputTranslations.Of($$"""{"statusCode":200,"headers":{"X-Big":"{{new string('v', valueLength)}}"},"body":"ok"}""", maxHeaderBytes);

        Assert.Equal(valid, result.Translation.IsValid);
        if (!valid)
        {
            Assert.Contains(maxHeaderBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), result.Translation.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Translate_ManyHeadersTogetherOverLimit_IsInvalid()
    {
        var headers = string.Join(",", Enumerable.Range(0, 100).Select(i => $"\"X-H{i}\":\"{new string('v', 100)}\""));

        var result = OutputTranslations.Of($$$"""{"statusCode":200,"headers":{{{{headers}}}}}""", 8192);

        Assert.False(result.Translation.IsValid);
        Assert.NotNull(result.Translation.Error);
    }

    [Fact]
    public void Translate_ArrayHeaderValuesTogetherOverLimit_IsInvalid()
    {
        var cookies = string.Join(",", Enumerable.Range(0, 10).Select(i => $"\"c{i}={new string('v', 1000)}\""));

        var result = OutputTranslations.Of($$$"""{"statusCode":200,"headers":{"Set-Cookie":[{{{cookies}}}]}}""", 8192);

        Assert.False(result.Translation.IsValid);
    }

    [Theory]
    [InlineData("""{"message": "Hello World!"}""")]
    [InlineData("""{"statuscode":200,"body":"x"}""")]
    [InlineData("""{"StatusCode":200}""")]
    [InlineData("""{"nested":{"statusCode":200}}""")]
    [InlineData("""[{"statusCode":200}]""")]
    [InlineData("\"just a JSON string\"")]
    [InlineData("42")]
    [InlineData("[1,2,3]")]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("Hello World!")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("""{"statusCode":200,"body":"x"} trailing""")]
    [InlineData("""{"statusCode":200}{"statusCode":201}""")]
    [InlineData("""{"statusCode":200,"body":"x"}""" + ",")]
    [InlineData("""{"statusCode":200,"body":"x" """)]
    [InlineData("""{"statusCode":200,}""")]
    [InlineData("""{"statusCode":200 /* comment */}""")]
    [InlineData("""{'statusCode':200}""")]
    [InlineData("""{"statusCode":099}""")]
    public void Translate_NotAJsonObjectWithStatusCode_PassedThroughByteExact(string output)
    {
        var result = OutputTranslations.Of(output);

        Assert.True(result.Translation.IsValid);
        Assert.Equal(200, result.Translation.StatusCode);
        Assert.Equal(["application/json"], result.Values("Content-Type"));
        Assert.Equal(["Content-Type"], result.Headers.Keys);
        Assert.Equal(Encoding.UTF8.GetBytes(output), result.Body);
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x01, 0xFF, 0xFE, 0x80 })]
    [InlineData(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A })]
    [InlineData(new byte[] { (byte)'{', 0xFF, (byte)'}' })]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}' })]
    public void Translate_BinaryOutput_PassedThroughByteExact(byte[] output)
    {
        var result = OutputTranslations.Of(output);

        Assert.True(result.Translation.IsValid);
        Assert.Equal(200, result.Translation.StatusCode);
        Assert.Equal("application/json", result.Headers.ContentType.ToString());
        Assert.Equal(output, result.Body);
    }

    [Theory]
    [InlineData("""{"statusCode":201,"body":"\xFF"}""")]
    [InlineData("""{"statusCode":201,"body":"\xFF\n"}""")]
    [InlineData("""{"statusCode":201,"isBase64Encoded":true,"body":"\xFF"}""")]
    [InlineData("""{"statusCode":201,"headers":{"X-A":"\xFF"}}""")]
    [InlineData("""{"statusCode":201,"headers":{"X-A":["ok","\xFF"]}}""")]
    [InlineData("""{"statusCode":201,"headers":{"\xFF":"a"}}""")]
    [InlineData("""{"statusCode":201,"\xFF":1}""")]
    public void Translate_JsonLikeOutputWithInvalidUtf8_PassedThroughByteExact(string template)
    {
        // \xFF in the template stands for the single byte 0xFF, which no UTF-8 text (so no JSON text) holds.
        var output = template.Split("\\xFF").Select(Encoding.UTF8.GetBytes).Aggregate((before, after) => [.. before, 0xFF, .. after]);

        var result = OutputTranslations.Of(output);

        Assert.True(result.Translation.IsValid);
        Assert.Equal(200, result.Translation.StatusCode);
        Assert.Equal(["Content-Type"], result.Headers.Keys);
        Assert.Equal("application/json", result.Headers.ContentType.ToString());
        Assert.Equal(output, result.Body);
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

    /// <summary>Found by <c>OutputTranslatorProperties</c>: such a name used to throw out of the translator.</summary>
    [Theory]
    [InlineData("""{"\udc00":1,"statusCode":201,"body":"ok"}""")]
    [InlineData("""{"statusCode":201,"\ud800x":{"a":[1]},"body":"ok"}""")]
    [InlineData("""{"statusCode":201,"body":"ok","\ud83d":"\ud800"}""")]
    public void Translate_FieldNameWithUnpairedSurrogate_IsAnOtherFieldAndSkipped(string output)
    {
        var result = OutputTranslations.Of(output);

        Assert.True(result.Translation.IsValid);
        Assert.Equal(201, result.Translation.StatusCode);
        Assert.Equal("ok", result.BodyText);
    }

    /// <remarks>JavaScript's <c>JSON.stringify</c> writes half of a cut emoji as such an escape; Go's and Python's decoders read it as U+FFFD.</remarks>
    [Theory]
    [InlineData("""{"statusCode":200,"body":"\ud800"}""", "\uFFFD")]
    [InlineData("""{"statusCode":200,"body":"a\udc00\ud800b"}""", "a\uFFFD\uFFFDb")]
    [InlineData("""{"statusCode":200,"body":"\ud83d"}""", "\uFFFD")]
    [InlineData("""{"statusCode":200,"body":"\ud83dx"}""", "\uFFFDx")]
    [InlineData("""{"statusCode":200,"body":"\ud83d\u0041"}""", "\uFFFDA")]
    [InlineData("""{"statusCode":200,"body":"\ud83d\ud83d\ude00"}""", "\uFFFD\U0001F600")]
    [InlineData("""{"statusCode":200,"body":"\ud83d\ude00\ude00"}""", "\U0001F600\uFFFD")]
    [InlineData("""{"statusCode":200,"isBase64Encoded":true,"body":"\ud800"}""", "\uFFFD")]
    public void Translate_StringBodyWithUnpairedSurrogate_ReadsItAsTheReplacementCharacter(string output, string body)
    {
        var result = OutputTranslations.Of(output);

        Assert.True(result.Translation.IsValid);
        Assert.Equal(200, result.Translation.StatusCode);
        Assert.Equal(body, result.BodyText);
    }

    [Fact]
    public void Translate_AllByteValuesOutput_PassedThroughByteExact()
    {
        var output = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();

        var result = OutputTranslations.Of(output);

        Assert.Equal(200, result.Translation.StatusCode);
        Assert.Equal(output, result.Body);
    }

    [Fact]
    public void Translate_SeedStringResponse_Is200ApplicationJsonAndText()
    {
        var result = OutputTranslations.Of("Hello World!");

        Assert.Equal(200, result.Translation.StatusCode);
        Assert.Equal("application/json", result.Headers.ContentType.ToString());
        Assert.Equal("Hello World!", result.BodyText);
        Assert.Equal(12, result.Body.Length);
    }

    [Fact]
    public void Translate_SeedJsonResponse_Is200ApplicationJsonAndOutputAsIs()
    {
        var result = OutputTranslations.Of("""{"message": "Hello World!"}""");

        Assert.Equal(200, result.Translation.StatusCode);
        Assert.Equal("application/json", result.Headers.ContentType.ToString());
        Assert.Equal("""{"message": "Hello World!"}""", result.BodyText);
        Assert.Equal(27, result.Body.Length);
    }

    /// <remarks>
    /// The seed shows the client receiving <c>{"message": "Hello world!"}</c>, which is not the body the
    /// function returned (a comma and a space differ); the contract sends a non-string body as its JSON text.
    /// </remarks>
    [Fact]
    public void Translate_SeedCustomResponse_Is201WithCustomHeaderAndJsonTextBody()
    {
        var result = OutputTranslations.Of("""{"statusCode":201,"headers":{"Content-Type":"application/json","My-Custom-Header":"Custom Value"},"body":{"message":"Hello, world!"},"isBase64Encoded":false}""");

        Assert.True(result.Translation.IsValid);
        Assert.Equal(201, result.Translation.StatusCode);
        Assert.Equal(["Content-Type", "My-Custom-Header"], result.Headers.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("application/json", result.Headers.ContentType.ToString());
        Assert.Equal("Custom Value", result.Headers["My-Custom-Header"].ToString());
        Assert.Equal("""{"message":"Hello, world!"}""", result.BodyText);
        Assert.Empty(result.Dropped);
    }

    [Fact]
    public void Translate_SeedResponseStruct_MapsEveryField()
    {
        var result = OutputTranslations.Of("""
            {
            "statusCode": 200,
            "headers": {
            "Content-Type": "application/json",
            "Custom-Header-1": "Custom Value"
            },
            "isBase64Encoded": false,
            "body": "{\"message\":\"Hello FC!\"}"
            }
            """);

        Assert.Equal(200, result.Translation.StatusCode);
        Assert.Equal("application/json", result.Headers.ContentType.ToString());
        Assert.Equal("Custom Value", result.Headers["Custom-Header-1"].ToString());
        Assert.Equal("""{"message":"Hello FC!"}""", result.BodyText);
    }

    [Fact]
    public void Translate_Base64BodyDecodedInPlace_BodyIsSliceOfOutput()
    {
        var output = """{"statusCode":200,"isBase64Encoded":true,"body":"SGVsbG8="}"""u8.ToArray();
        var headers = new HeaderDictionary();

        var translation = WorkerOutputTranslator.Translate(output, headers, 8192, OutputRules.FcV1);

        Assert.Equal("Hello"u8.ToArray(), translation.Body.ToArray());
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(translation.Body, out var segment));
        Assert.Same(output, segment.Array);
    }
}
