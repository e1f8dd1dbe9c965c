using Microsoft.AspNetCore.Http;
using FcWorker.Invocation;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FcWorker.RuntimeApi;

/// <summary>
/// Pull mode: as many loops as the worker runs invocations at once, each asking the runtime API for the next call,
/// answering it through the shared <see cref="PlatformCallHandler"/>, then asking again, so a loop never polls while
/// it runs a call. On stop, the polls still waiting are abandoned and the calls running finish and post their outcome;
/// a poll sent along with a reply is given up so that the runtime API sees it go, and a call it was answered with
/// before is run too. A failed poll that shows the gateway which launched the worker gone stops it (<see cref="LaunchingGateway"/>).
/// </summary>
internal sealed partial class RuntimeApiPoller(
    RuntimeApiClient client, PlatformCallHandler calls, int loops, LaunchingGateway gateway, TimeProvider timeProvider, ILogger<RuntimeApiPoller> logger)
    : BackgroundService
{
    private readonly RuntimeApiOutage _outage = new(client.Address, logger);

    public override void Dispose()
    {
        client.Dispose();
        base.Dispose();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Log.Pulling(logger, client.Address, loops);
        return Task.WhenAll(Enumerable.Range(0, loops).Select(_ => PollAsync(stoppingToken)));
    }

    private async Task PollAsync(CancellationToken stoppingToken)
    {
        using var line = client.OpenLine();
        var backoff = new RetryBackoff();
        while (true)
        {
            var invocation = await TryGetNextAsync(line, stoppingToken).ConfigureAwait(false);
            if (invocation is null)
            {
                if (stoppingToken.IsCancellationRequested)
                {
                    return;
                }

                await Task.Delay(backoff.Next(), timeProvider, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }

            backoff.Reset();
            await using (invocation.ConfigureAwait(false))
            {
                await AnswerAsync(invocation, new RuntimeApiReply(line, client.Address, invocation.RequestId, logger, stoppingToken)).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Asks for the next call; stopping, before or while the poll waits, gives the poll up instead (the line keeps one
    /// cancelled while it waited outstanding), with what the runtime API answered it before it saw the line go.
    /// </summary>
    private static async Task<RuntimeApiAnswer?> AskAsync(IRuntimeApiLine line, CancellationToken stoppingToken)
    {
        if (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                return await line.NextAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
        }

        return await line.GiveUpPollAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// The next call, or null when the poll failed (reported to the outage, unless it shows the launching gateway gone) or
    /// the worker is stopping. Stopping, the loop asks for no call, but runs one the runtime API already handed to the poll
    /// its last reply sent along.
    /// </summary>
    private async Task<RuntimeInvocation?> TryGetNextAsync(IRuntimeApiLine line, CancellationToken stoppingToken)
    {
        RuntimeApiAnswer? answer = null;
        try
        {
            answer = await AskAsync(line, stoppingToken).ConfigureAwait(false);
            if (answer is null)
            {
                return null;
            }

            var requestId = answer.Headers[FcHeaderNames.RequestId].ToString();
            if (answer.StatusCode != StatusCodes.Status200OK || requestId.Length == 0)
            {
                if (!gateway.IsGoneAfter(answer.StatusCode))
                {
                    _outage.PollFailed(answer.StatusCode != StatusCodes.Status200OK
                        ? $"next answered HTTP {answer.StatusCode}"
                        : $"next answered without {FcHeaderNames.RequestId}");
                }

                answer.Dispose();
                return null;
            }

            var invocation = RuntimeInvocation.Read(answer, requestId);
            _outage.PollSucceeded();
            return invocation;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            answer?.Dispose();
            return null;
        }
        catch (HttpRequestException exception)
        {
            answer?.Dispose();
            if (!gateway.IsGoneAfter(exception))
            {
                _outage.PollFailed(exception.Message);
            }

            return null;
        }
    }

    private Task AnswerAsync(RuntimeInvocation invocation, RuntimeApiReply reply)
    {
        var call = invocation.ToCall(reply);
        return invocation.FunctionType switch
        {
            RuntimeFunctionType.Initializer => calls.InitializeAsync(call),
            RuntimeFunctionType.PreStop => calls.PreStopAsync(call),
            RuntimeFunctionType.PreFreeze => calls.PreFreezeAsync(call),
            _ => calls.InvokeAsync(call),
        };
    }

    private static partial class Log
    {
        [LoggerMessage(WorkerEventIds.RuntimeApiPulling, LogLevel.Information,
            "Pulling invocations from the runtime API at {Address}, at most {Loops} at a time")]
        public static partial void Pulling(ILogger logger, Uri address, int loops);
    }
}
