using System.Net.Sockets;
using System.Text;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// Sends a request written byte for byte over a TCP connection, for what HttpClient will not send
/// (repeated header lines, malformed framing, a body cut short), and reads the response until the server closes.
/// </summary>
public static class RawHttp
{
    public static async Task<RawResponse> SendAsync(string baseUrl, string requestHead, byte[]? body = null)
    {
        using var client = await ConnectAndWriteAsync(baseUrl, requestHead, body);
        await using var stream = client.GetStream();
        using var response = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await stream.CopyToAsync(response, timeout.Token);
        return RawResponse.Parse(response.ToArray());
    }

    /// <summary>Sends the head and what there is of the body, then closes the connection unanswered: a client that dies mid-request.</summary>
    public static async Task SendAndCloseAsync(string baseUrl, string requestHead, byte[] body) =>
        (await ConnectAndWriteAsync(baseUrl, requestHead, body)).Dispose();

    /// <summary>
    /// Sends the head and what there is of the body, waits for <paramref name="beforeReset"/> (which may read some of the
    /// response), then resets the connection (RST, no FIN, as a linger of zero seconds closes it): a client killed in the
    /// middle of its request or of the response.
    /// </summary>
    public static async Task SendAndResetAsync(string baseUrl, string requestHead, byte[] body, Func<Stream, Task> beforeReset)
    {
        using var client = await ConnectAndWriteAsync(baseUrl, requestHead, body);
        await beforeReset(client.GetStream());
        client.Client.LingerState = new LingerOption(true, 0);
        client.Client.Close();
    }

    private static async Task<TcpClient> ConnectAndWriteAsync(string baseUrl, string requestHead, byte[]? body)
    {
        var uri = new Uri(baseUrl);
        var head = requestHead.Replace("\n", "\r\n", StringComparison.Ordinal);
        if (!head.Contains("Connection:", StringComparison.OrdinalIgnoreCase))
        {
            head = head.TrimEnd('\r', '\n') + "\r\nConnection: close\r\n\r\n";
        }

        var client = new TcpClient();
        try
        {
            await client.ConnectAsync(uri.Host, uri.Port);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            if (body is not null)
            {
                await stream.WriteAsync(body);
            }

            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }
}

/// <summary>A response read off the wire.</summary>
public sealed record RawResponse(int StatusCode, IReadOnlyList<KeyValuePair<string, string>> Headers, string Body)
{
    public static RawResponse Parse(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = text[..headEnd].Split("\r\n");
        var status = int.Parse(head[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = head.Skip(1)
            .Select(line => line.Split(':', 2))
            .Select(parts => new KeyValuePair<string, string>(parts[0], parts[1].Trim()))
            .ToList();
        return new RawResponse(status, headers, text[(headEnd + 4)..]);
    }

    public string? Header(string name) =>
        Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();
}
