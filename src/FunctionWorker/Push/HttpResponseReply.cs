using FcWorker.Invocation;
using FcWorker.Responses;
using Microsoft.AspNetCore.Http;

namespace FcWorker.Push;

/// <summary>The reply of a pushed call: its HTTP response, with <c>x-fc-status</c>.</summary>
internal sealed class HttpResponseReply(HttpContext http) : IPlatformReply
{
    public Task SucceedAsync(FunctionOutput output, CancellationToken cancellationToken) =>
        FcResponse.WriteOutputAsync(http.Response, output, cancellationToken);

    public Task FailAsync(FcErrorBody error)
    {
        if (http.Response.HasStarted)
        {
            // Half a reply is already out; cutting the connection makes the gateway see a failure, not a truncated success.
            http.Abort();
            return Task.CompletedTask;
        }

        http.Response.Clear();
        return FcResponse.WriteFunctionErrorAsync(http.Response, error);
    }
}
