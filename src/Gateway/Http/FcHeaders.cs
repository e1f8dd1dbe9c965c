namespace FcGateway.Http;

/// <summary>
/// The gateway's own header namespace, <c>x-fc-*</c> (wire contract §§2, 3, 11): only the gateway speaks in it. A
/// client's <c>x-fc-*</c> headers are removed or refused and never reach the event, a function's are dropped from
/// its response, and no claim may be written into one. The underscore spellings (<c>x_fc_access_key_id</c>) count
/// too (<see cref="CgiHeaderNames"/>).
/// </summary>
internal static class FcHeaders
{
    /// <summary>The prefix of the gateway's headers, as written in messages.</summary>
    public const string Prefix = "x-fc-";

    /// <summary>Whether <paramref name="name"/> starts with <c>x-fc-</c>, in any case, with <c>-</c> or <c>_</c> as separators.</summary>
    public static bool IsFcHeader(string name) => IsFcHeader(name.AsSpan());

    /// <inheritdoc cref="IsFcHeader(string)"/>
    public static bool IsFcHeader(ReadOnlySpan<char> name) =>
        name.Length >= Prefix.Length && CgiHeaderNames.AreSame(name[..Prefix.Length], Prefix);
}
