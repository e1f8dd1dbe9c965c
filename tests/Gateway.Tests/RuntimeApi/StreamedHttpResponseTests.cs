using System.Text;
using System.Text.Json;
using FcGateway.Buffers;
using FcGateway.RuntimeApi;

namespace Gateway.Tests.RuntimeApi;

/// <summary>A streamed function URL response (prelude, eight zero bytes, body) rewritten into the buffered response document.</summary>
public sealed class StreamedHttpResponseTests
{
    [Theory]
    [InlineData("""{"statusCode":201,"headers":{"x-a":"1"},"cookies":["a=b"]}""", "abc", 201)]
    [InlineData(""" { "statusCode" : 404 } """, "", 404)]
    [InlineData("{}", "body", 200)]
    [InlineData("""{"headers":{"x-a":"1"}}""", "body", 200)]
    public void TheRewrite_KeepsThePreludesFields_AndCarriesTheBodyInBase64(string prelude, string body, int status)
    {
        using var output = Output(Encoding.UTF8.GetBytes(prelude), new byte[8], Encoding.UTF8.GetBytes(body));

        Assert.True(StreamedHttpResponse.TryRewrite(output));

        var document = JsonDocument.Parse(output.WrittenMemory).RootElement;
        Assert.Equal(body, Encoding.UTF8.GetString(Convert.FromBase64String(document.GetProperty("body").GetString()!)));
        Assert.True(document.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal(status, document.GetProperty("statusCode").GetInt32());
    }

    [Fact]
    public void ABinaryBody_SurvivesByteForByte()
    {
        byte[] body = [0, 1, 2, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 7];
        using var output = Output("""{"statusCode":200}"""u8.ToArray(), new byte[8], body);

        Assert.True(StreamedHttpResponse.TryRewrite(output));

        Assert.Equal(body, Convert.FromBase64String(JsonDocument.Parse(output.WrittenMemory).RootElement.GetProperty("body").GetString()!));
    }

    [Theory]
    [InlineData("""{"statusCode":200}""", false)]
    [InlineData("not json", true)]
    [InlineData("[1,2]", true)]
    [InlineData("{not json}", true)]
    [InlineData("""{"statusCode":200} {"more":1}""", true)]
    [InlineData("""{"statusCode":200""", true)]
    public void WithoutAnObjectPreludeAndTheSeparator_ItIsRefused(string prelude, bool withSeparator)
    {
        using var output = Output(Encoding.UTF8.GetBytes(prelude), withSeparator ? new byte[8] : [], "body"u8.ToArray());

        Assert.False(StreamedHttpResponse.TryRewrite(output));
    }

    [Fact]
    public void APreludeThatIsNotUtf8_IsRefused()
    {
        using var output = Output([.. "{\"headers\":{\"x-a\":\""u8, 0xC3, .. "\"}}"u8], new byte[8], "body"u8.ToArray());

        Assert.False(StreamedHttpResponse.TryRewrite(output));
    }

    [Theory]
    [InlineData("application/vnd.awslambda.http-integration-response", true)]
    [InlineData("application/vnd.awslambda.http-integration-response; charset=utf-8", true)]
    [InlineData("application/json", false)]
    [InlineData(null, false)]
    public void OnlyItsContentType_MarksAStreamedResponse(string? contentType, bool streamed) =>
        Assert.Equal(streamed, StreamedHttpResponse.IsOne(contentType));

    private static PooledBuffer Output(params byte[][] parts)
    {
        var output = new PooledBuffer();
        foreach (var part in parts)
        {
            output.Write(part);
        }

        return output;
    }
}
