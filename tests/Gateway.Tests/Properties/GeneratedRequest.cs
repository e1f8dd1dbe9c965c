using FsCheck;
using FsCheck.Fluent;

namespace Gateway.Tests.Properties;

/// <summary>
/// The parts of a random HTTP-trigger request: path segments and query text of any characters, headers with
/// token names and visible ASCII or Latin-1 values (repeated, in any case), and a body of any bytes under a
/// content type that is text or not.
/// </summary>
internal sealed record GeneratedRequest(
    string Method,
    string[] PathSegments,
    (string Name, string Value)[] Headers,
    (string Key, string Value)[] Query,
    string? ContentType,
    bool ContentTypeIsText,
    byte[] Body)
{
    private const string TokenChars = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private static readonly string[] Methods = ["GET", "POST", "PUT", "HEAD", "OPTIONS", "PATCH", "DELETE"];

    private static readonly string[] TextPieces =
    [
        "a", "Z", "0", " ", "/", "?", "#", "%", "%25", "&", "=", "+", ",", ";", "\"", "\\", "'", "<", ">", "\0", "\u001f", "\u007f",
        "\t", "\r\n", "é", "ß", "中", "\u2028", "\ufeff", "😀",
    ];

    private static readonly (string? Type, bool IsText)[] ContentTypes =
    [
        (null, false), ("text/plain", true), ("TEXT/HTML; charset=utf-8", true), ("application/json", true), ("Application/XML ;q=1", true),
        ("application/javascript", true), ("application/octet-stream", false), ("image/png", false), ("application/jsonx", false), ("text/", false),
    ];

    /// <summary>
    /// Names the event writer writes from elsewhere, leaves out (the hop-by-hop ones: a random two-letter name is
    /// <c>te</c> now and then) or joins otherwise (cookies, with <c>"; "</c>); the generator never uses them.
    /// </summary>
    private static readonly string[] NotWrittenAsGiven =
    [
        "host", "connection", "keep-alive", "x-forwarded-for", "x-real-ip", "content-type", "te", "trailer", "upgrade",
        "transfer-encoding", "proxy-connection", "http2-settings", "cookie",
    ];

    private static readonly Gen<string> AnyText = Gen.Elements(TextPieces).ListOf(6).Select(pieces => string.Concat(pieces));

    private static readonly Gen<string> HeaderName = Gen.Elements(TokenChars.ToCharArray()).NonEmptyListOf().Select(chars => new string([.. chars.Take(12)]))
        .Where(name => !NotWrittenAsGiven.Contains(name, StringComparer.OrdinalIgnoreCase) && !name.StartsWith("x-fc-", StringComparison.OrdinalIgnoreCase));

    private static readonly Gen<string> HeaderValue = Gen.OneOf(Gen.Choose(0x20, 0x7e), Gen.Choose(0xa0, 0xff)).Select(c => (char)c).ListOf(10)
        .Select(chars => new string([.. chars]));

    /// <summary>Requests whose headers sometimes repeat a name in another case, so values must be joined.</summary>
    public static Gen<GeneratedRequest> Any { get; } =
        from method in Gen.Elements(Methods)
        from segments in AnyText.ArrayOf(3)
        from names in HeaderName.ArrayOf(4)
        from headers in Gen.CollectToArray(names.Concat(names.Select(n => n.ToUpperInvariant())), name => HeaderValue.Select(value => (name, value)))
        from headerCount in Gen.Choose(0, headers.Length)
        from query in Gen.Zip(Gen.OneOf(AnyText, Gen.Elements("k", "K")), AnyText).ArrayOf(4)
        from contentType in Gen.Elements(ContentTypes)
        from body in Gen.OneOf(
            Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf(),
            AnyText.Select(text => System.Text.Encoding.UTF8.GetBytes(text)))
        select new GeneratedRequest(method, segments, headers[..headerCount], query, contentType.Type, contentType.IsText, body);
}
