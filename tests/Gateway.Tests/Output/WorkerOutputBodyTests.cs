using System.Text;
using FcGateway.Dialects.FcV1.Output;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Output;

/// <summary>The output's <c>body</c>: a string as its UTF-8 bytes, other JSON as its text, decoded from base64 when <c>isBase64Encoded</c> is true and it is base64.</summary>
public sealed class WorkerOutputBodyTests
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
