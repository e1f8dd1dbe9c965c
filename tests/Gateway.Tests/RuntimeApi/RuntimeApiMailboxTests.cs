using FcGateway.Buffers;
using FcGateway.Configuration;
using FcGateway.Dispatch;
using FcGateway.Dispatch.Pull;
using FcGateway.Dispatch.Push;
using FcGateway.Outcomes;

namespace Gateway.Tests.RuntimeApi;

/// <summary>
/// A launched instance's address once its process is gone (<see cref="RuntimeApiMailbox.FailAll"/>): an invocation that
/// reaches it afterwards — posted by a dispatch that chose the instance just before, handed back by a poll that went
/// away, or handed to a poll whose continuation ran only afterwards — ends at once as never taken, so that another
/// instance runs it, instead of waiting out the function's timeout where no worker will ever poll. A poll's continuation
/// runs when the test says (<see cref="ManualContext"/>).
/// </summary>
public sealed class RuntimeApiMailboxTests
{
    private static readonly InvocationResult Gone = new(Outcome.InstanceGone, "Instance c-1 of f exited with code 1 before it took the invocation.");
    private static readonly InvocationResult Crashed = new(Outcome.WorkerCrashed, "Instance c-1 of f exited with code 1 before answering.");

    [Fact]
    public async Task AnInvocationPosted_OnceTheInstanceIsGone_EndsAsNeverTaken()
    {
        var mailbox = new RuntimeApiMailbox("f", "c-1");
        using var output = new PooledBuffer();
        var invocation = Invocation(output);
        mailbox.FailAll(Gone, Crashed);

        Assert.True(mailbox.TryPost(invocation, int.MaxValue));

        Assert.True(invocation.Result.IsCompletedSuccessfully);
        Assert.Equal(Outcome.InstanceGone, (await invocation.Result).Outcome);
        Assert.Equal(0, mailbox.QueuedInvocations);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnInvocationHandedToAPoll_WhoseTakeRunsOnceTheInstanceIsGone_EndsAsNeverTaken(bool pollWentAway)
    {
        var mailbox = new RuntimeApiMailbox("f", "c-1");
        using var output = new PooledBuffer();
        var invocation = Invocation(output);
        using var pollGone = new CancellationTokenSource();
        var context = new ManualContext();

        var poll = context.Run(() => mailbox.NextAsync(pollGone.Token));
        Assert.True(mailbox.TryPost(invocation, int.MaxValue));
        mailbox.FailAll(Gone, Crashed);
        if (pollWentAway)
        {
            pollGone.Cancel();
        }

        context.RunPosted();

        Assert.True(invocation.Result.IsCompletedSuccessfully);
        Assert.Equal(Outcome.InstanceGone, (await invocation.Result).Outcome);
        Assert.Equal(0, mailbox.QueuedInvocations);
        Assert.Equal(mailbox.WaitingPolls, mailbox.Workers); // no worker counted as running it
        Assert.True(invocation.SendingEnded.IsCompleted);
        if (pollWentAway)
        {
            Assert.True(poll.IsCanceled);
        }
        else
        {
            Assert.False(poll.IsCompleted);
            pollGone.Cancel();
            context.RunPosted();
            Assert.True(poll.IsCanceled);
        }
    }

    /// <summary>
    /// The instance's exit counts the invocations it was running: one answered before it exited (aws-lambda-go exits once
    /// it reported a panic) and not yet forgotten by its caller, whose continuation had not run, is not one of them.
    /// </summary>
    [Fact]
    public async Task TheInvocationsRunning_AreThoseTheExitEnded_NotOnesAnsweredAndNotYetForgotten()
    {
        var mailbox = new RuntimeApiMailbox("f", "c-1");
        using var answeredOutput = new PooledBuffer();
        using var runningOutput = new PooledBuffer();
        var answered = Invocation(answeredOutput);
        var running = Invocation(runningOutput, "1-00000000-000000000000000000000002");
        Assert.True(mailbox.TryPost(answered, int.MaxValue) && mailbox.TryPost(running, int.MaxValue));
        Assert.Same(answered, await mailbox.NextAsync(CancellationToken.None));
        Assert.Same(running, await mailbox.NextAsync(CancellationToken.None));
        Assert.True(answered.TryClaimReply());
        answered.CompleteReply(new InvocationResult(Outcome.FunctionError, "panic"));

        Assert.Equal(1, mailbox.FailAll(Gone, Crashed));

        Assert.Equal(Outcome.FunctionError, (await answered.Result).Outcome);
        Assert.Equal(Outcome.WorkerCrashed, (await running.Result).Outcome);
    }

    private static PulledInvocation Invocation(PooledBuffer output, string requestId = "1-00000000-000000000000000000000001") => new(
        requestId, "f", FunctionSettings.Default, new GatewaySettings(), new BufferPayload(ReadOnlyMemory<byte>.Empty), output,
        DateTimeOffset.UnixEpoch + TimeSpan.FromMinutes(1));

    /// <summary>Runs what is posted to it only when told to, on the test's thread: an await's continuation waits for the test.</summary>
    private sealed class ManualContext : SynchronizationContext
    {
        private readonly Queue<(SendOrPostCallback Callback, object? State)> _posted = new();

        public override void Post(SendOrPostCallback d, object? state)
        {
            lock (_posted)
            {
                _posted.Enqueue((d, state));
            }
        }

        /// <summary>Starts <paramref name="start"/> in this context, so that its awaits come back to it.</summary>
        public T Run<T>(Func<T> start)
        {
            var previous = Current;
            SetSynchronizationContext(this);
            try
            {
                return start();
            }
            finally
            {
                SetSynchronizationContext(previous);
            }
        }

        /// <summary>Runs what was posted, and what that posts in turn, until nothing is left.</summary>
        public void RunPosted()
        {
            while (true)
            {
                (SendOrPostCallback Callback, object? State) next;
                lock (_posted)
                {
                    if (!_posted.TryDequeue(out next))
                    {
                        return;
                    }
                }

                Run(() =>
                {
                    next.Callback(next.State);
                    return 0;
                });
            }
        }
    }
}
