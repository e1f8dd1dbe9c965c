namespace Gateway.Tests.Attacks;

/// <summary>
/// Rarer bytes in a reply's field values and trailers, and rarer <c>Transfer-Encoding</c> syntax, over both clients.
/// </summary>
public sealed partial class WorkerClientDifferentialTests
{
    private const string ChunkedHello = "5\r\nhello\r\n0\r\n";

    /// <summary>
    /// A chunked reply's trailers: a fold continues the trailer before it; a first trailer line starting with white space
    /// continues nothing, and HttpClient reads it as a name starting with a space (no token): a bad response.
    /// </summary>
    [Theory]
    [InlineData("X-A: a\r\n b\r\n\r\n", "200 hello success")]
    [InlineData("X-A: a\r\n\tb: c\r\n\r\n", "200 hello success")]
    [InlineData(" X-A: a\r\n\r\n", $"{Failed} bad_response")]
    [InlineData("\tX-A: a\r\n\r\n", $"{Failed} bad_response")]
    [InlineData(" a\r\n\r\n", $"{Failed} bad_response")]
    public Task AFoldInTrailers_IsReadAsHttpClientReadsIt(string trailers, string expected) =>
        AssertBothAsync(expected, Replying($"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n{ChunkedHello}{trailers}"));

    /// <summary>Control characters in a trailer's value (a CR alone, NUL, DEL, other C0), or in its name.</summary>
    [Theory]
    [InlineData("X-A: a\rb\r\n\r\n", "200 hello success")]
    [InlineData("X-A: a\0b\r\n\r\n", "200 hello success")]
    [InlineData("X-A: a\u007fb\r\n\r\n", "200 hello success")]
    [InlineData("X-A: \u0001\u000b\u001f\r\n\r\n", "200 hello success")]
    [InlineData("X-A: a\r\r\n\r\n", "200 hello success")]
    [InlineData("X-A\r: a\r\n\r\n", $"{Failed} bad_response")]
    [InlineData("X\0A: a\r\n\r\n", $"{Failed} bad_response")]
    public Task ControlCharactersInTrailers_AreReadAsHttpClientReadsThem(string trailers, string expected) =>
        AssertBothAsync(expected, Replying($"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n{ChunkedHello}{trailers}"));

    /// <summary>
    /// Control characters in header values: one the gateway does not read, and each it does. HttpClient reads a NUL or a
    /// CR in a value as a space, and the HttpClient path trims an <c>x-fc-status</c> of all white space .NET knows.
    /// </summary>
    [Theory]
    [InlineData("X-A: a\rb", "200 hello success")]
    [InlineData("X-A: a\0b", "200 hello success")]
    [InlineData("X-A: a\u007fb", "200 hello success")]
    [InlineData("X-A: \u0001\u000b\u001f", "200 hello success")]
    [InlineData("X-A: a\r", "200 hello success")]
    [InlineData("x-fc-status: 200\r", "200 hello success")]
    [InlineData("x-fc-status: 200\u000b", "200 hello success")]
    [InlineData("x-fc-status: \u000c200\u00a0", "200 hello success")]
    [InlineData("x-fc-status: 200\0", "200 hello success")]
    [InlineData("x-fc-status: 2\r00", $"{Failed} function_error")]
    [InlineData("Content-Length: 5\r", "200 hello success")]
    [InlineData("Content-Length: \05", "200 hello success")]
    [InlineData("Content-Length: 5\06", $"{Failed} bad_response")]
    [InlineData("Content-Length: \u000b5", $"{Failed} bad_response")]
    [InlineData("Connection: close\r", "200 hello success")]
    [InlineData("Connection: close\0", "200 hello success")]
    public Task ControlCharactersInHeaderValues_AreJudgedAlike(string header, string expected) =>
        AssertBothAsync(expected, Replying($"HTTP/1.1 200 OK\r\n{header}\r\nContent-Length: 5\r\n\r\nhello"));

    /// <summary><c>Connection: close</c> with a NUL or a CR after it (a space to HttpClient): the next call opens another connection.</summary>
    [Theory]
    [InlineData("close\0")]
    [InlineData("close\r")]
    public Task ConnectionCloseWithANulOrACr_IsNotReused(string value) => AssertBothAsync("200 hello success", async c =>
    {
        await c.DrainBodyAsync();
        await c.WriteAsync($"HTTP/1.1 200 OK\r\nConnection: {value}\r\nContent-Length: 5\r\n\r\nhello");
        await c.HoldAsync();
    }, calls: 3, expectedConnections: 3);

    /// <summary>
    /// <c>Transfer-Encoding</c> values as HttpClient reads them: chunked (the chunks' data is the output) or not (the body
    /// runs to the connection's end, the chunk framing with it). A NUL or a CR is a space there, as HttpClient reads it;
    /// other control characters make a line no list of codings.
    /// </summary>
    [Theory]
    [InlineData("chunked ;x", false)]
    [InlineData("chunked\t; x=\"1\"", false)]
    [InlineData("gzip;x=\"a\\\"b, c\", chunked", true)]
    [InlineData("gzip;x=\"\", chunked", true)]
    [InlineData("gzip;x=, chunked", false)]
    [InlineData("gzip;=1, chunked", false)]
    [InlineData("identity, chunked", true)]
    [InlineData("chunked, identity", true)]
    [InlineData(", chunked", true)]
    [InlineData("chunked,", true)]
    [InlineData(" , , chunked , ,", true)]
    [InlineData("Chunked", true)]
    [InlineData("GZIP, CHUNKED", true)]
    [InlineData("chunked\r", true)]
    [InlineData("chunked\0", true)]
    [InlineData("gzip\0, chunked", true)]
    [InlineData("ch\0unked", false)]
    [InlineData("chunked\rx", false)]
    [InlineData("chunked\u000b", false)]
    [InlineData("\u0001chunked", false)]
    [InlineData("gzip;x=\"a\0\", chunked", true)]
    public Task ATransferEncodingValue_IsReadAsHttpClientReadsIt(string value, bool chunked) => AssertBothAsync(
        chunked ? "200 hello success" : $"200 {ChunkedHello}\r\n success",
        async c =>
        {
            await c.DrainBodyAsync();
            await c.WriteAsync($"HTTP/1.1 200 OK\r\nTransfer-Encoding: {value}\r\n\r\n{ChunkedHello}\r\n");
        });
}
