using System.Net;
using System.Text;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// A web function's request body streams to the worker as the client sends it (wire contract §7): a client that sends
/// part of a body and waits for an answer to it (a streamed upload, a long-lived request stream) is not held up while
/// its bytes sit in the gateway's buffers.
/// </summary>
public sealed class WebTriggerRequestStreamingTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FirstPartOfABody_ReachesTheWorker_BeforeTheClientSendsTheRest(bool declaredLength)
    {
        var firstPartArrived = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var (worker, workerUrl) = await LoopbackServer.StartAsync(async context =>
        {
            if (TestWorker.IsHealthProbe(context.Request))
            {
                return;
            }

            var buffer = new byte[5];
            await context.Request.Body.ReadExactlyAsync(buffer);
            firstPartArrived.TrySetResult(Encoding.ASCII.GetString(buffer));
            using var rest = new MemoryStream();
            await context.Request.Body.CopyToAsync(rest);
            await context.Response.WriteAsync($"rest={rest.Length}");
        });
        await using var _ = worker;
        var config = new GatewayConfiguration().WithFunction("echo", workerUrl).Set("ReverseProxy:Routes:echo:Metadata:TriggerMode", "web");
        await using var gateway = await TestGateway.StartAsync(config.Values);
        var content = new TwoPartContent("first", firstPartArrived.Task, "second", declaredLength);

        var response = await gateway.Client.PostAsync("/echo/upload", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("rest=6", await response.Content.ReadAsStringAsync());
        Assert.Equal("first", await firstPartArrived.Task);
    }

    /// <summary>A body whose second part is sent only once the worker has the first (or, without the fix, after 20 s).</summary>
    private sealed class TwoPartContent : HttpContent
    {
        private readonly byte[] _first;
        private readonly Task _firstArrived;
        private readonly byte[] _second;

        public TwoPartContent(string first, Task firstArrived, string second, bool declaredLength)
        {
            _first = Encoding.ASCII.GetBytes(first);
            _firstArrived = firstArrived;
            _second = Encoding.ASCII.GetBytes(second);
            if (declaredLength)
            {
                Headers.ContentLength = _first.Length + _second.Length;
            }
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(_first);
            await stream.FlushAsync();
            await _firstArrived.WaitAsync(TimeSpan.FromSeconds(20));
            await stream.WriteAsync(_second);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
