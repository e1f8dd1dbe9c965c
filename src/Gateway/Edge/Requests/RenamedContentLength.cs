using Microsoft.Net.Http.Headers;

namespace FcGateway.Edge.Requests;

/// <summary>
/// Kestrel reads an HTTP/1.x body sent with both <c>Transfer-Encoding</c> and <c>Content-Length</c> as chunked, the length
/// ignored (RFC 9112 §6.3), and keeps that length under another name, <c>X-Content-Length</c>: a header the client did not
/// send, which a proxy would not pass on, and which would tell a function a length its body need not have. It is removed
/// from every request that has a <c>Transfer-Encoding</c>, since a Kestrel request holds no other; one a client sends
/// beside a body it frames with <c>Content-Length</c> alone, or over HTTP/2, is the client's and goes on.
/// </summary>
internal static class RenamedContentLength
{
    public const string HeaderName = "X-Content-Length";

    public static void Remove(IHeaderDictionary headers)
    {
        if (headers.ContainsKey(HeaderNames.TransferEncoding))
        {
            headers.Remove(HeaderName);
        }
    }
}
