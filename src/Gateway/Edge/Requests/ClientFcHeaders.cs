namespace FcGateway.Edge.Requests;

/// <summary>
/// Client-sent <c>x-fc-*</c> headers (wire contract §11): a client must never speak for the gateway, so they
/// are removed before anything reads the request, or refused where configured. The underscore spellings
/// (<c>x_fc_access_key_id</c>) count too: CGI- and WSGI-style servers read <c>_</c> and <c>-</c> alike.
/// </summary>
internal static class ClientFcHeaders
{
    /// <summary>Whether <paramref name="name"/> is <c>x-fc-</c>, in any case, with <c>-</c> or <c>_</c> as separators.</summary>
    public static bool IsReserved(string name) =>
        name.Length >= 5
        && (name[0] | 0x20) == 'x'
        && name[1] is '-' or '_'
        && (name[2] | 0x20) == 'f'
        && (name[3] | 0x20) == 'c'
        && name[4] is '-' or '_';

    public static bool Any(IHeaderDictionary headers)
    {
        foreach (var header in headers)
        {
            if (IsReserved(header.Key))
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
            if (IsReserved(header.Key))
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
