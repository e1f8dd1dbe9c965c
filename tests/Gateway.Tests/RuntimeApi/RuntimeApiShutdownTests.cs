using System.Net;
using FcGateway.Dispatch.Pull;
using FcGateway.RuntimeApi;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.RuntimeApi;

/// <summary>
/// A worker started elsewhere keeps a poll waiting at the runtime API whenever it has nothing to run. Stopping the gateway
/// answers it, rather than leaving it to hold the listener's stop, and the gateway's exit, for the whole DrainTimeout
/// with no invocation in flight.
/// </summary>
public sealed class RuntimeApiShutdownTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A function's own port (RuntimeApiUrl) is served as its prefix on the shared port: its polls get the same 503
    /// (aws-lambda-go's worker got its connection closed with no answer while the port was torn down under it).
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task StoppingTheGateway_AnswersAWaitingPoll_503(bool atTheFunctionsOwnPort)
    {
        var gateway = await PullFunction.StartAsync(c =>
        {
            c.Set("Gateway:DrainTimeout", "00:10:00");
            if (atTheFunctionsOwnPort)
            {
                c.Set($"Gateway:Functions:{PullFunction.Name}:RuntimeApiUrl", "http://127.0.0.1:0");
            }
        });
        var mailbox = gateway.Services.GetRequiredService<RuntimeApiDirectory>().MailboxOf(PullFunction.Name);
        var address = atTheFunctionsOwnPort
            ? gateway.Services.GetRequiredService<RuntimeApiServer>().FunctionAddress(PullFunction.Name)!.ToString()
            : gateway.RuntimeApi();
        using var worker = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var poll = worker.GetAsync($"http://{address}/2020-11-11/runtime/invocation/next");
        await Eventually.HoldsAsync(() => mailbox.WaitingPolls == 1, Bound);

        var stopping = gateway.StopAsync();
        using var answer = await poll.WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
        Assert.Contains("The gateway is stopping", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await stopping.WaitAsync(Bound);
        await gateway.DisposeAsync();
    }

    [Fact]
    public async Task OncePollsHaveEnded_APollThatFindsNoInvocation_EndsAtOnce_AtEveryAddress()
    {
        // fc-runtime-go-sdk polls again as soon as a poll is answered, on the same connection, which the listener may still
        // serve: that poll must not wait either, whatever address it comes to.
        var directory = new RuntimeApiDirectory();
        var known = directory.MailboxOf(PullFunction.Name);

        directory.EndPolls();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => known.NextAsync(CancellationToken.None));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => directory.MailboxOf("other").NextAsync(CancellationToken.None));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => directory.AddInstance(PullFunction.Name, "c-1").NextAsync(CancellationToken.None));
    }
}
