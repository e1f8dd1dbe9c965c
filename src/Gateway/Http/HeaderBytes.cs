namespace FcGateway.Http;

/// <summary>
/// How the gateway measures headers against its limits (wire contract §8): each line's name and value, in characters,
/// for the request's headers, a function's output headers and a web function's response headers alike.
/// </summary>
internal static class HeaderBytes
{
    public static long Of(string name, string? value) => name.Length + (value?.Length ?? 0);
}
