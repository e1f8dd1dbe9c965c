using FcGateway.Http;

namespace FcGateway.Edge.Requests;

/// <summary>
/// Client-sent <c>x-fc-*</c> headers (wire contract §11), underscore spellings included (<see cref="FcHeaders"/>):
/// a client must never speak for the gateway, so they are removed before anything reads the request, or refused
/// where configured.
/// </summary>
internal static class ClientFcHeaders
{
    /// <summary>Removes every <c>x-fc-*</c> header from <paramref name="headers"/>.</summary>
    public static void Remove(IHeaderDictionary headers) => HeaderRemoval.RemoveWhere(headers, FcHeaders.IsFcHeader);
}
