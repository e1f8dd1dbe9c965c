using FcGateway.Invocation;

namespace FcGateway.Requests;

/// <summary>
/// Client-sent <c>x-fc-*</c> headers (wire contract §11): a client must never speak for the gateway, so they
/// are removed before anything reads the request, or refused where configured.
/// </summary>
internal static class ClientFcHeaders
{
    public static bool Any(IHeaderDictionary headers)
    {
        foreach (var header in headers)
        {
            if (header.Key.StartsWith(WorkerHeaderNames.Prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    public static void Remove(IHeaderDictionary headers)
    {
        var names = new List<string>();
        foreach (var header in headers)
        {
            if (header.Key.StartsWith(WorkerHeaderNames.Prefix, StringComparison.OrdinalIgnoreCase))
            {
                names.Add(header.Key);
            }
        }

        foreach (var name in names)
        {
            headers.Remove(name);
        }
    }
}
