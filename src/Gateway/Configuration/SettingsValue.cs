using System.Globalization;
using System.Security.Authentication;

namespace FcGateway.Configuration;

/// <summary>
/// A kind of value a library parses out of its section, with the parse it applies (YARP's
/// <c>ConfigurationReadingExtensions</c>, Kestrel's <c>ConfigurationReader</c>), so a value YARP would refuse is named by
/// its key before YARP throws an exception that names neither the key nor its route, and one Kestrel would ignore is
/// named before it falls back to its default unseen.
/// </summary>
/// <param name="Expected">What the value must be, as the message says it.</param>
/// <param name="IsValid">Whether the library parses the text.</param>
internal sealed record SettingsValue(string Expected, Func<string, bool> IsValid)
{
    /// <summary>Any text (an id, a policy name, a path).</summary>
    public static readonly SettingsValue Text = new("text", _ => true);

    /// <summary>A 32-bit whole number (<c>Order</c>).</summary>
    public static readonly SettingsValue Int32 = new(
        "a whole number", text => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _));

    /// <summary>A 64-bit whole number (<c>MaxRequestBodySize</c>).</summary>
    public static readonly SettingsValue Int64 = new(
        "a whole number", text => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _));

    /// <summary>
    /// A request body limit (a route's <c>MaxRequestBodySize</c>): 0 or more bytes, or -1 for none. ASP.NET Core refuses any
    /// other negative number with an exception on every request the route matches.
    /// </summary>
    public static readonly SettingsValue RequestBodySize = new(
        "a whole number of bytes, 0 or more (-1 for no limit)",
        text => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var size) && size >= -1);

    /// <summary>A boolean.</summary>
    public static readonly SettingsValue Boolean = new("a boolean (true or false)", text => bool.TryParse(text, out _));

    /// <summary>
    /// A duration in the constant format YARP reads: <c>[d.]hh:mm:ss[.fffffff]</c>. YARP also reads a bare number, as days
    /// (<c>"Interval": "10"</c> probes every ten days), which is never what was meant: as for the gateway's own durations,
    /// the hours, minutes and seconds must be written.
    /// </summary>
    public static readonly SettingsValue Duration = new(
        "a duration written as hh:mm:ss (days as d.hh:mm:ss; for example 00:00:10)",
        text => IsDuration(text, out _));

    /// <summary>
    /// A duration above zero in YARP's format (a cluster's <c>HttpRequest:ActivityTimeout</c>, which YARP does not check: zero
    /// cancels every forwarded request at once, a negative one throws on every request).
    /// </summary>
    public static readonly SettingsValue PositiveDuration = new(
        "a positive duration written as hh:mm:ss (days as d.hh:mm:ss; for example 00:01:40)",
        text => IsDuration(text, out var duration) && duration > TimeSpan.Zero);

    /// <summary>
    /// An HTTP version: <c>1.1</c>, <c>2</c>, <c>2.0</c>, <c>3</c>. Empty (JSON <c>null</c>) is YARP's default, unlike an
    /// empty value of the other kinds, which YARP refuses.
    /// </summary>
    public static readonly SettingsValue HttpVersion = new(
        "an HTTP version such as 1.1, 2 or 3", text => text.Length == 0 || Version.TryParse(text.Contains('.', StringComparison.Ordinal) ? text : text + ".0", out _));

    /// <summary>An absolute URL.</summary>
    public static readonly SettingsValue AbsoluteUrl = new("an absolute URL", text => Uri.TryCreate(text, UriKind.Absolute, out _));

    /// <summary>
    /// A TLS version to allow (<c>SslProtocols</c> of a Kestrel endpoint or a cluster's HttpClient), by name: <c>Ssl2</c>,
    /// <c>Ssl3</c> and the obsolete <c>Default</c> (SSL 3 with TLS 1.0), which .NET refuses or the platform's OpenSSL
    /// usually does (every handshake fails), and numbers are not.
    /// </summary>
    public static readonly SettingsValue TlsVersion = new(
        $"one of {string.Join(", ", NegotiableTlsVersions())}",
        text => NegotiableTlsVersions().Contains(text, StringComparer.OrdinalIgnoreCase));

    /// <summary>One of the names of <typeparamref name="TEnum"/>, in any letter case.</summary>
    public static SettingsValue OneOf<TEnum>() where TEnum : struct, Enum =>
        new($"one of {string.Join(", ", Enum.GetNames<TEnum>())}", text => Enum.TryParse<TEnum>(text, ignoreCase: true, out _));

    private static IEnumerable<string> NegotiableTlsVersions() =>
        Enum.GetNames<SslProtocols>().Where(name => name is not ("Ssl2" or "Ssl3" or "Default"));

    private static bool IsDuration(string text, out TimeSpan duration) =>
        TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out duration) && text.Contains(':', StringComparison.Ordinal);
}
