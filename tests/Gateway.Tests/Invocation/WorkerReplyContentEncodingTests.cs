using System.IO.Compression;
using System.Net;
using System.Text;
using FcGateway.Dispatch.Push.Http1;
using Gateway.Tests.EndToEnd;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Invocation;

/// <summary>
/// A worker's reply whose body has a content coding: the gateway asks for none and decodes none, so the output (or error
/// body) is refused as a bad response naming the coding, over both of its worker clients alike, rather than parsed as
/// JSON or passed on as bytes the client cannot read.
/// </summary>
public sealed class WorkerReplyContentEncodingTests
{
    private const string Output = """{"statusCode":201,"body":"hi"}""";

    /// <summary>The event's body: none (the gateway's own client carries it) or one too large for one send (HttpClient carries it).</summary>
    public static TheoryData<int, string, int> EncodedReplies => new()
    {
        { 0, "gzip", 200 },
        { WorkerConnections.MaxPayloadBytes, "gzip", 200 },
        { 0, "br", 200 },
        { WorkerConnections.MaxPayloadBytes, "br", 200 },
        { 0, "deflate", 200 },
        { WorkerConnections.MaxPayloadBytes, "deflate", 200 },
        { 0, "identity, gzip", 200 },
        { WorkerConnections.MaxPayloadBytes, "identity, gzip", 200 },
        { 0, "gzip", 500 },
        { WorkerConnections.MaxPayloadBytes, "gzip", 500 },
    };

    [Theory]
    [MemberData(nameof(EncodedReplies))]
    public async Task AnEncodedReply_IsABadResponseNamingItsCoding(int eventBytes, string coding, int status)
    {
        var body = Encode(coding, Output);
        await using var worker = WireWorker.Start(_ => $"HTTP/1.1 {status} X\r\nContent-Encoding: {coding}\r\nContent-Length: {body.Length}\r\n\r\n{body}");
        await using var gateway = await TestGateway.StartAsync(new GatewayConfiguration().WithFunction("echo", worker.Url).Values);

        using var response = await InvokeAsync(gateway, eventBytes);

        await ErrorPathTests.AssertFunctionFailedAsync(response);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("outcome=bad_response"));
        Assert.Contains(gateway.Logs.Lines, line => line.Contains($"The worker's reply has a Content-Encoding ({coding})", StringComparison.Ordinal));
    }

    /// <summary>An identity coding, or an empty field, is no coding: the output is taken as it is.</summary>
    [Theory]
    [InlineData(0, "identity")]
    [InlineData(WorkerConnections.MaxPayloadBytes, "identity")]
    [InlineData(0, "IDENTITY , ")]
    [InlineData(WorkerConnections.MaxPayloadBytes, "IDENTITY , ")]
    [InlineData(0, "")]
    [InlineData(WorkerConnections.MaxPayloadBytes, "")]
    public async Task AnIdentityCoding_LeavesTheOutputAsItIs(int eventBytes, string coding)
    {
        await using var worker = WireWorker.Start(_ => $"HTTP/1.1 200 OK\r\nContent-Encoding: {coding}\r\nContent-Length: {Output.Length}\r\n\r\n{Output}");
        await using var gateway = await TestGateway.StartAsync(new GatewayConfiguration().WithFunction("echo", worker.Url).Values);

        using var response = await InvokeAsync(gateway, eventBytes);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("hi", await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// A 204 or a 304 has no body, whatever its head says (RFC 9110 §6.4.1): a Content-Encoding on it codes nothing, and
    /// the reply is judged as one without it. A 204 is a success whose output is empty (answered 200, as an output that
    /// is no JSON), a 304 a status other than 2xx, a function error (502).
    /// </summary>
    [Theory]
    [InlineData(0, 204, "gzip")]
    [InlineData(WorkerConnections.MaxPayloadBytes, 204, "gzip")]
    [InlineData(0, 204, "")]
    [InlineData(0, 304, "br")]
    [InlineData(WorkerConnections.MaxPayloadBytes, 304, "br")]
    [InlineData(0, 304, "")]
    public async Task ABodilessReplyWithAContentEncoding_IsJudgedAsOneWithout(int eventBytes, int status, string coding)
    {
        var encoding = coding.Length == 0 ? "" : $"Content-Encoding: {coding}\r\n";
        await using var worker = WireWorker.Start(_ => $"HTTP/1.1 {status} X\r\n{encoding}Content-Length: 7\r\n\r\n");
        await using var gateway = await TestGateway.StartAsync(new GatewayConfiguration().WithFunction("echo", worker.Url).Values);

        using var response = await InvokeAsync(gateway, eventBytes);

        if (status == 204)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        }
        else
        {
            await ErrorPathTests.AssertFunctionFailedAsync(response);
            await Eventually.HoldsAsync(() => gateway.Logs.Contains("outcome=function_error"));
        }

        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("bad_response", StringComparison.Ordinal));
    }

    /// <summary>The body coded as named, the last coding applied last, as Latin-1 text for the scripted reply.</summary>
    private static string Encode(string codings, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        foreach (var coding in codings.Split(',', StringSplitOptions.TrimEntries).Where(coding => coding != "identity"))
        {
            using var encoded = new MemoryStream();
            using (Stream compressor = coding switch
            {
                "gzip" => new GZipStream(encoded, CompressionLevel.Fastest),
                "br" => new BrotliStream(encoded, CompressionLevel.Fastest),
                _ => new ZLibStream(encoded, CompressionLevel.Fastest),
            })
            {
                compressor.Write(bytes);
            }

            bytes = encoded.ToArray();
        }

        return Encoding.Latin1.GetString(bytes);
    }

    private static Task<HttpResponseMessage> InvokeAsync(TestGateway gateway, int eventBytes) =>
        eventBytes == 0 ? gateway.Client.GetAsync("/echo/") : gateway.Client.PostAsync("/echo/", new ByteArrayContent(new byte[eventBytes]));
}
