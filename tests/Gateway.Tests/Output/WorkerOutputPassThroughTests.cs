using System.Text;

namespace Gateway.Tests.Output;

/// <summary>An output that is not a JSON object with a <c>statusCode</c> is the body of a 200 <c>application/json</c> response, byte for byte.</summary>
public sealed class WorkerOutputPassThroughTests
{
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

    [Fact]
    public void Translate_AllByteValuesOutput_PassedThroughByteExact()
    {
        var output = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();

        var result = OutputTranslations.Of(output);

        Assert.Equal(200, result.Translation.StatusCode);
        Assert.Equal(output, result.Body);
    }
}
