using System.Net.Sockets;
using System.Text;
using FcGateway.RuntimeApi;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.RuntimeApi;

/// <summary>A call whose Lambda function has begun to stream its response: the function's open post, and the caller's response.</summary>
internal sealed record StreamedCall(TcpClient Function, HttpResponseMessage Response, string Id) : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Makes the <paramref name="call"/> (its response read from its headers on), takes its invocation as the function, and
    /// begins to stream its response with <paramref name="firstChunk"/>.
    /// </summary>
    public static async Task<StreamedCall> StartAsync(
        TestGateway gateway, Func<HttpClient, Task<HttpResponseMessage>> call, string firstChunk, string contentType = StreamedHttpResponse.ContentType, bool streamingMode = false)
    {
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        var called = call(gateway.Client);
        using var next = await runtime.GetAsync("invocation/next").WaitAsync(Bound);
        var id = next.Headers.GetValues(LambdaRuntimeApiWire.RequestIdHeader).Single();
        var function = await LambdaFunction.StartChunkedAsync(gateway.RuntimeApi(), $"invocation/{id}/response", firstChunk, contentType, streamingMode);
        return new StreamedCall(function, await called.WaitAsync(Bound), id);
    }

    /// <summary>Whether the gateway closed or reset the function's connection (it never answers: only the end comes).</summary>
    public async Task<bool> IsFunctionCutAsync()
    {
        try
        {
            var buffer = new byte[4096];
            while (true)
            {
                var read = await Function.GetStream().ReadAsync(buffer).AsTask().WaitAsync(Bound);
                if (read == 0)
                {
                    return true;
                }

                if (Encoding.ASCII.GetString(buffer, 0, read).StartsWith("HTTP/1.1 202", StringComparison.Ordinal))
                {
                    return false;
                }
            }
        }
        catch (IOException)
        {
            return true;
        }
    }

    public void Dispose()
    {
        Function.Dispose();
        Response.Dispose();
    }
}
