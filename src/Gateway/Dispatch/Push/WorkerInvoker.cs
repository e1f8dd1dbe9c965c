using System.Net;
using FcGateway.Buffers;
using FcGateway.Dispatch.Push.Http1;
using FcGateway.Outcomes;

namespace FcGateway.Dispatch.Push;

/// <summary>
/// Runs one invocation on a worker: initialization when the function declares one, <c>POST /invoke</c> (over the
/// gateway's own HTTP/1.1 client where it applies, <see cref="WorkerConnections"/>, else the cluster's HttpClient),
/// and reading the output, all bounded by the function timeout. A client that goes away does not cut the call short
/// (see <see cref="FunctionDispatcher"/>).
/// </summary>
internal sealed class WorkerInvoker(WorkerInitializer initializer, WorkerConnections connections, TimeProvider timeProvider)
{
    /// <summary>FC's message for a worker that failed below HTTP (wire contract §2); the log gets the cause and the address.</summary>
    private const string ProcessExitedMessage = "Process exited unexpectedly before completing request";
    private const string MalformedReplyMessage = "The worker's reply is not a valid HTTP response.";

    private readonly DeadlinePool _deadlines = new(timeProvider);

    /// <param name="invocation">The function and the chosen instance.</param>
    /// <param name="payload">The body to post to <c>/invoke</c>; the request that sends it disposes it. When this method
    /// returns, nothing reads the buffers behind it any more.</param>
    /// <param name="output">Receives the worker's reply body: the output, or the function's error body.</param>
    /// <param name="abandoned">Fires when the gateway can wait no longer (it is stopping): the call is cut short.</param>
    public async Task<InvocationResult> InvokeAsync(FunctionInvocation invocation, WorkerPayload payload, PooledBuffer output, CancellationToken abandoned)
    {
        var timeout = invocation.Function.Timeout;
        var started = timeProvider.GetTimestamp();
        var deadline = _deadlines.Rent(timeout);
        var gatewayGivesUp = abandoned.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), deadline);
        HttpRequestMessage? request = null;
        try
        {
            if (invocation.Function.Initializer)
            {
                await initializer.EnsureInitializedAsync(invocation, deadline.Token);
            }

            var maxOutput = invocation.Gateway.Limits.MaxResponseBodyBytes;
            WorkerReplyRead reply;
            if (WorkerConnections.Carries(invocation, payload))
            {
                reply = await connections.InvokeAsync(invocation, payload, output, maxOutput, deadline.Token);
            }
            else
            {
                request = WorkerRequestFactory.CreateInvoke(invocation, payload);
                reply = await SendAsync(invocation, request, output, maxOutput, deadline.Token);
            }

            if (reply.Head.StatusCode == (int)HttpStatusCode.TooManyRequests)
            {
                return new(Outcome.InstanceBusy, $"The worker refused the invocation as full ({reply.Head.Describe()}).");
            }

            if (reply.UnreadableBody is { } unreadable)
            {
                return new(Outcome.BadResponse, $"The worker's reply has {unreadable}.");
            }

            if (!reply.BodyFits)
            {
                return new(Outcome.BadResponse, $"The function's output exceeds {maxOutput} bytes.");
            }

            if (reply.Head.IsSuccess)
            {
                return InvocationResult.Success;
            }

            // A function that fails once its time is up failed because of it: its context's deadline fired first.
            return FunctionDeadline.TimeoutIfLate(
                new(Outcome.FunctionError, $"The function failed ({reply.Head.Describe()}).", ErrorContentType: reply.Head.ContentType),
                timeout - timeProvider.GetElapsedTime(started),
                timeout);
        }
        catch (Exception) when (abandoned.IsCancellationRequested)
        {
            return new(Outcome.ClientClosed, "The gateway gave up on the invocation as it stopped.");
        }
        catch (ObjectDisposedException) when (connections.IsDisposed)
        {
            // The gateway's own worker client goes with the services as the host stops; a call racing that is told so
            // (503, as one the drain gave up on) rather than failed as a fault of the gateway's.
            return new(Outcome.NoInstance, "The gateway is stopping and makes no more calls to workers.");
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return new(Outcome.Timeout, $"{TimeoutText.For(timeout)}.");
        }
        catch (WorkerInitializationException ex) when (ex.NeverReached)
        {
            // Its /initialize call found nothing listening: the invocation never reached the worker, as below.
            return new(Outcome.InstanceGone, ex.Message, ErrorMessage: ProcessExitedMessage);
        }
        catch (WorkerInitializationException ex)
        {
            return new(Outcome.InitializationFailed, ex.Message);
        }
        catch (Exception ex) when (WorkerConnectionFailure.IsMalformedReply(ex, request))
        {
            // The account names the worker's address, for the log; the invocation API's caller is told less.
            return new(Outcome.BadResponse, WorkerConnectionFailure.Describe(ex, invocation.Endpoint.Address, request), ErrorMessage: MalformedReplyMessage);
        }
        catch (HttpRequestException ex) when (WorkerConnectionFailure.IsConnectFailure(ex))
        {
            // Nothing took the connection, so the worker never saw the invocation: another instance may run it.
            initializer.Forget(invocation.Endpoint.Address);
            return new(Outcome.InstanceGone, WorkerConnectionFailure.Describe(ex, invocation.Endpoint.Address, request), ErrorMessage: ProcessExitedMessage);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            initializer.Forget(invocation.Endpoint.Address);
            return new(Outcome.WorkerCrashed, WorkerConnectionFailure.Describe(ex, invocation.Endpoint.Address, request), ErrorMessage: ProcessExitedMessage);
        }
        finally
        {
            // The payload may still be sending (HTTP/2) with the deadline's token: wait for it before the buffers
            // behind it are released and before the deadline source is reset for another invocation. The worker has
            // answered or failed by now, so the rest of it is not needed: stop it rather than let it run to the
            // deadline (a send the answered stream no longer takes would otherwise hold the invocation until then).
            if (!payload.ReadingEnded.IsCompleted)
            {
                await deadline.CancelAsync();
            }

            await payload.ReadingEnded.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            DisposeKeepingPayload(request);
            gatewayGivesUp.Dispose();
            _deadlines.Return(deadline);
        }
    }

    /// <summary>The call over the cluster's HttpClient: a 429's body, one of unusable length and an encoded one are not read.</summary>
    private static async Task<WorkerReplyRead> SendAsync(
        FunctionInvocation invocation, HttpRequestMessage request, PooledBuffer output, long maxOutput, CancellationToken cancellationToken)
    {
        using var reply = await invocation.Cluster.HttpClient.SendAsync(request, cancellationToken);
        var head = WorkerReply.Head(reply);
        if (head.StatusCode == (int)HttpStatusCode.TooManyRequests)
        {
            return new(head, null, BodyFits: true);
        }

        if (WorkerReply.UnreadableBody(reply) is { } unreadable)
        {
            return new(head, unreadable, BodyFits: true);
        }

        return new(head, null, await WorkerReply.TryReadBodyAsync(reply, output, maxOutput, cancellationToken));
    }

    /// <summary>Disposes the request but not its payload: one refused by a full instance is sent again to another.</summary>
    private static void DisposeKeepingPayload(HttpRequestMessage? request)
    {
        if (request is not null)
        {
            request.Content = null;
            request.Dispose();
        }
    }
}
