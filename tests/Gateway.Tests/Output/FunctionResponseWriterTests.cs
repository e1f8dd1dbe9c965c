using FcGateway.Dialects;
using FcGateway.Edge.Responses;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Output;

public sealed class FunctionResponseWriterTests
{
    [Theory]
    [InlineData("GET", 200, "hello", "hello")]
    [InlineData("POST", 201, "created", "created")]
    [InlineData("GET", 404, "missing", "missing")]
    [InlineData("HEAD", 200, "hello", "")]
    [InlineData("GET", 204, "ignored", "")]
    [InlineData("GET", 205, "ignored", "")]
    [InlineData("GET", 304, "ignored", "")]
    [InlineData("GET", 200, "", "")]
    public async Task WriteAsync_Translation_WritesStatusAndBody(string method, int statusCode, string body, string written)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        using var stream = new MemoryStream();
        context.Response.Body = stream;

        await FunctionResponseWriter.WriteAsync(context, OutputTranslation.Success(statusCode, System.Text.Encoding.UTF8.GetBytes(body)));

        Assert.Equal(statusCode, context.Response.StatusCode);
        Assert.Equal(written, System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Theory]
    [InlineData("GET", 200, 5L)]
    [InlineData("HEAD", 200, 5L)]
    [InlineData("GET", 200, 0L)]
    [InlineData("GET", 204, null)]
    public async Task WriteAsync_Translation_SetsContentLengthWhenABodyIsAllowed(string method, int statusCode, long? contentLength)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Response.Body = new MemoryStream();

        await FunctionResponseWriter.WriteAsync(context, OutputTranslation.Success(statusCode, new byte[contentLength ?? 5]));

        Assert.Equal(contentLength, context.Response.ContentLength);
    }
}
