using System.Buffers;
using System.IO.Pipelines;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace FcGateway.RuntimeApi;

/// <summary>
/// Lets one cleartext port of the runtime API serve HTTP/1.1 (the official runtime clients) and HTTP/2 with prior
/// knowledge (the C# SDK, told by <c>FCGATEWAY_RUNTIME_API_PROTOCOL=h2c</c>), which Kestrel cannot do by itself: without
/// TLS it serves an endpoint of both protocols as HTTP/1.1, since it has no ALPN to choose by. This connection middleware
/// looks at a connection's first bytes, leaving them unread; a connection that opens with HTTP/2's client preface
/// (RFC 9113 §3.4) is given the answer ALPN would have given, <c>h2</c>, and Kestrel speaks HTTP/2 on it. Kestrel then
/// takes the stream's <c>:scheme</c> (<c>http</c>) as sent, which <see cref="Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions.AllowAlternateSchemes"/> allows.
/// </summary>
internal static class CleartextHttp2Detection
{
    private static ReadOnlySpan<byte> ClientPreface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    /// <summary>
    /// How long a connection may stay silent before it is left to HTTP/1.1, whose own keep-alive timeout then closes it
    /// (Kestrel's timeouts start only once a protocol has the connection).
    /// </summary>
    public static readonly TimeSpan FirstBytesWait = TimeSpan.FromSeconds(130);

    public static async Task DetectAsync(ConnectionContext connection, Func<Task> next)
    {
        bool http2;
        // Kestrel asks its connections to close when the gateway stops: a silent one is not kept waiting until then.
        var closeRequested = connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested ?? CancellationToken.None;
        using (var wait = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed, closeRequested))
        {
            wait.CancelAfter(FirstBytesWait);
            http2 = await OpensWithClientPrefaceAsync(connection.Transport.Input, wait.Token);
        }

        if (http2)
        {
            connection.Features.Set<ITlsConnectionFeature>(NegotiatedHttp2.Instance);
            connection.Features.Set<ITlsApplicationProtocolFeature>(NegotiatedHttp2.Instance);
        }

        await next();
    }

    /// <summary>Reads until the first bytes tell, and leaves every byte unconsumed for the protocol to read again.</summary>
    private static async Task<bool> OpensWithClientPrefaceAsync(PipeReader input, CancellationToken giveUp)
    {
        SequencePosition? examined = null;
        while (true)
        {
            ReadResult result;
            try
            {
                result = await input.ReadAsync(giveUp);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException)
            {
                // Silent too long, or closed or reset before its first bytes: HTTP/1.1 meets the same end and handles it.
                return false;
            }

            var buffer = result.Buffer;
            var undecided = StartsLikePreface(buffer) && buffer.Length < ClientPreface.Length && !result.IsCompleted;

            // Examined may not move back: once bytes were waited beyond, the protocol's first read still finds the
            // bytes that came after them unexamined, and returns at once.
            input.AdvanceTo(buffer.Start, undecided ? buffer.End : examined ?? buffer.Start);
            if (!undecided)
            {
                return buffer.Length >= ClientPreface.Length && StartsLikePreface(buffer);
            }

            examined = buffer.End;
        }
    }

    private static bool StartsLikePreface(ReadOnlySequence<byte> buffer)
    {
        Span<byte> start = stackalloc byte[ClientPreface.Length];
        var length = (int)Math.Min(buffer.Length, start.Length);
        buffer.Slice(0, length).CopyTo(start);
        return ClientPreface.StartsWith(start[..length]);
    }

    /// <summary>What Kestrel reads to choose HTTP/2 on a connection: a TLS feature, and ALPN's answer <c>h2</c>.</summary>
    private sealed class NegotiatedHttp2 : ITlsConnectionFeature, ITlsApplicationProtocolFeature
    {
        public static readonly NegotiatedHttp2 Instance = new();

        public ReadOnlyMemory<byte> ApplicationProtocol { get; } = "h2"u8.ToArray();

        public X509Certificate2? ClientCertificate
        {
            get => null;
            set => throw new NotSupportedException("A cleartext connection has no client certificate.");
        }

        public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult<X509Certificate2?>(null);
    }
}
