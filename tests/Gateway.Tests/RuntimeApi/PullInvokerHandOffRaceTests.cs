using FcGateway.Buffers;
using FcGateway.Configuration;
using FcGateway.Dispatch;
using FcGateway.Dispatch.Pull;
using FcGateway.Dispatch.Push;
using FcGateway.Outcomes;
using Microsoft.Extensions.Time.Testing;
using Yarp.ReverseProxy.Model;

namespace Gateway.Tests.RuntimeApi;

/// <summary>
/// The end of the wait for a poll and a poll taking the invocation at that moment: either the poll does not get it (503),
/// or it gets it and the whole timeout from then, never an invocation handed out and timed out at once.
/// </summary>
public sealed class PullInvokerHandOffRaceTests
{
    [Fact]
    public async Task APollTakingTheInvocation_AsTheWaitForAPollEnds_IsNotTimedOutAtOnce()
    {
        var timeout = TimeSpan.FromSeconds(10);
        var settings = new GatewaySettings
        {
            Functions = new Dictionary<string, FunctionSettings> { ["f"] = FunctionSettings.Default with { Timeout = timeout } },
        };

        var timedOutAtOnce = 0;
        for (var i = 0; i < 3000; i++)
        {
            var time = new FakeTimeProvider();
            var directory = new RuntimeApiDirectory();
            var mailbox = directory.MailboxOf("f");
            var invoker = new PullInvoker(directory, time);
            using var output = new PooledBuffer();
            var request = new InvocationRequest
            {
                RequestId = $"1-00000000-{i:D24}",
                Target = new FunctionTarget("f", settings, new ClusterState("c")),
                Candidates = [],
                Payload = new BufferPayload(ReadOnlyMemory<byte>.Empty),
                Output = output,
            };

            var invoked = invoker.InvokeAsync(request, mailbox, 10, CancellationToken.None);
            time.Advance(timeout - TimeSpan.FromTicks(1));
            using var pollGone = new CancellationTokenSource();
            using var start = new Barrier(2);
            var poll = Task.Run(async () =>
            {
                start.SignalAndWait();
                return await mailbox.NextAsync(pollGone.Token);
            });
            start.SignalAndWait();
            time.Advance(TimeSpan.FromTicks(1));
            await Task.WhenAny(poll, Task.Delay(50));
            pollGone.Cancel();
            PulledInvocation? taken = null;
            try
            {
                taken = await poll;
            }
            catch (OperationCanceledException)
            {
            }

            if (taken is not null)
            {
                taken.EndSending();
                if (invoked.IsCompleted && (await invoked).Outcome == Outcome.Timeout)
                {
                    timedOutAtOnce++;
                }
                else if (taken.TryClaimReply())
                {
                    taken.CompleteReply(new(Outcome.Success, "answered"));
                }
            }

            await invoked.WaitAsync(TimeSpan.FromSeconds(10));
        }

        Assert.Equal(0, timedOutAtOnce);
    }
}
