using System.Text;

namespace FcGateway.Http;

/// <summary>
/// How the gateway measures headers against its limits (wire contract §8): each line's name and value, in bytes of
/// UTF-8, for the request's headers, a function's output headers and a web function's response headers alike.
/// Kestrel reads request header values as UTF-8, so counting characters would let a value of non-ASCII characters
/// pass with two to three times the bytes the limit allows.
/// </summary>
internal static class HeaderBytes
{
    public static long Of(string name, string? value) =>
        Encoding.UTF8.GetByteCount(name) + (value is null ? 0 : Encoding.UTF8.GetByteCount(value));
}
