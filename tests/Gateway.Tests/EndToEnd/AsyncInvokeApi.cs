using System.Net;
using FcGateway.Edge.InvokeApi;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.EndToEnd;

/// <summary>Sends the asynchronous invocations of the <c>x-fc-invocation-type: Async</c> tests, and starts the workers they share.</summary>
internal static class AsyncInvokeApi
{
    internal const string InvocationsPath = "/2023-03-30/functions/echo/invocations";

    internal static HttpRequestMessage AsyncInvocation(byte[] payload)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, InvocationsPath) { Content = new ByteArrayContent(payload) };
        request.Headers.Add("x-fc-invocation-type", "Async");
        return request;
    }

    /// <summary>Sends an asynchronous invocation, which must be accepted; its request id.</summary>
    internal static async Task<string> AcceptedAsync(TestGateway gateway)
    {
        var response = await gateway.Client.SendAsync(AsyncInvocation([7]));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return response.Headers.GetValues("X-Fc-Request-Id").Single();
    }

    /// <summary>A worker whose function fails its first invocation (404, an error body) and answers "ok" from then on.</summary>
    internal static Task<TestWorker> FunctionErrorOnceWorkerAsync()
    {
        var calls = 0;
        return TestWorker.StartAsync((context, _) => Interlocked.Increment(ref calls) == 1
            ? TestWorker.Reply(context, 404, "{\"errorMessage\":\"not yet\"}", fcStatus: "404")
            : TestWorker.Reply(context, 200, "ok", fcStatus: "200"));
    }

    /// <summary>A worker that answers each invocation once <paramref name="release"/> completes.</summary>
    internal static Task<TestWorker> HeldWorkerAsync(TaskCompletionSource release) =>
        TestWorker.StartAsync(async (context, _) =>
        {
            await release.Task;
            await TestWorker.Reply(context, 200, "ok", fcStatus: "200");
        });

    /// <summary>The first wait after an attempt that found no instance: between half and all of the first retry delay.</summary>
    internal static bool JitteredFirstWait(TimeSpan due) => due >= AsyncRetryPolicy.FirstRetryDelay / 2 && due <= AsyncRetryPolicy.FirstRetryDelay;

    internal static int PendingOf(TestGateway gateway) => gateway.Services.GetRequiredService<AsyncInvocations>().Pending;
}
