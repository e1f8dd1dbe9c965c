using FcWorker.Invocation;
using Microsoft.AspNetCore.Http;

namespace FcWorker.Push;

/// <summary>Describes a request to <c>/invoke</c>, <c>/initialize</c> or <c>/pre-stop</c> as a transport-neutral <see cref="PlatformCall"/>.</summary>
internal static class PushedCall
{
    public static PlatformCall From(HttpContext http) =>
        new(http.Request.Headers, http.Request.BodyReader, http.Request.ContentLength, new HttpResponseReply(http), http.RequestAborted);
}
