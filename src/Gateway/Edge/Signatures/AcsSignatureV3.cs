using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FcGateway.Configuration;
using FcGateway.Edge.HttpTriggers;
using FcGateway.Outcomes;
using Microsoft.Extensions.Primitives;

namespace FcGateway.Edge.Signatures;

/// <summary>
/// Verifies Alibaba Cloud's signature version 3 (<c>Authorization: ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…</c>),
/// with which FC's HTTP triggers of <c>authType: function</c> are called and FC's SDKs sign InvokeFunction, against the
/// AccessKey pairs of <c>Gateway:AccessKeys</c>. The canonical request is the one the official signers
/// (<c>openapi-util</c>'s <c>GetAuthorization</c>) build: method, path as sent, the query sorted by name with each value
/// encoded (path and query in each signer's spelling, Python's among them), the signed headers, their names, and the
/// payload line — the <c>x-acs-content-sha256</c> the caller signed (FC's SDKs), or empty (FC's documented way of
/// calling a trigger, which leaves the body out).
/// </summary>
internal static class AcsSignatureV3
{
    public const string Algorithm = "ACS3-HMAC-SHA256";

    /// <summary>The header with the hex SHA-256 of the body, which the signature covers when the caller signed it.</summary>
    public const string ContentHashHeader = "x-acs-content-sha256";

    private const string DateHeader = "x-acs-date";
    /// <summary>The header with a value of the call's own, which a signature covers so that a replay of it can be told.</summary>
    public const string NonceHeader = "x-acs-signature-nonce";
    private static readonly string[] DateFormats = ["yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'"];
    private static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(15);
    private static readonly string[] EncodedSlashes = ["%2F", "%2f"];

    /// <summary>
    /// A signature that holds for the head of the request; <see cref="ContentHash"/> is what the body must hash to, if
    /// anything; <see cref="Nonce"/> the signed <c>x-acs-signature-nonce</c>, if any, taken until <see cref="Expires"/>.
    /// </summary>
    public sealed record Signed(string AccessKeyId, string? ContentHash, string? Nonce, DateTimeOffset Expires) : SignedCall
    {
        public override (Outcome Error, string Message)? TakeNonce(SignatureNonces nonces, DateTimeOffset now) =>
            Nonce is null || nonces.TryTake(AccessKeyId, Nonce, Expires, now) ? null : (Outcome.SignatureNotMatch, NonceUsed);

        /// <summary>Whether <paramref name="body"/> is the one the signature covers (always, when the body was not signed).</summary>
        public override bool Covers(HttpRequest request, GatewaySettings settings, ReadOnlySpan<byte> body) => CoversHash(SHA256.HashData(body));

        public override (Outcome Error, string Message) BodyRefusal => (Outcome.SignatureNotMatch, BodyMismatch);

        /// <summary>Whether a body of SHA-256 <paramref name="hash"/> is the one the signature covers.</summary>
        public bool CoversHash(ReadOnlySpan<byte> hash) =>
            ContentHash is null || ContentHash.Equals(Convert.ToHexStringLower(hash), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Why a signature that is not the one its key's secret gives is refused (FC's words).</summary>
    public const string Mismatch =
        "The request signature we calculated does not match the signature you provided. Check your access key and signing method.";

    /// <summary>Why a call whose query names a parameter twice is refused.</summary>
    public const string RepeatedParameter =
        "The query names a parameter more than once: a signature covers one value of each, so send each name once.";

    /// <summary>Why a call whose signed nonce was taken already (a replay) is refused.</summary>
    public const string NonceUsed = "The signature nonce has been used: each call signs a new x-acs-signature-nonce.";

    /// <summary>Why a body that does not hash to its signed <c>x-acs-content-sha256</c> is refused.</summary>
    public const string BodyMismatch = "The request body is not the one signed: its SHA-256 is not x-acs-content-sha256.";

    /// <summary>Whether the request carries an <c>ACS3-HMAC-SHA256</c> <c>Authorization</c> header.</summary>
    public static bool IsSigned(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith(Algorithm + " ", StringComparison.Ordinal);

    /// <summary>
    /// Judges the signature over the request's head: the key, the time (<c>x-acs-date</c>, within 15 minutes of
    /// <paramref name="now"/>) and the HMAC, compared in constant time. The body, when signed, is judged once read
    /// (<see cref="Signed.Covers"/>).
    /// </summary>
    /// <returns>Why the request is refused, or null with <paramref name="signed"/> set.</returns>
    public static (Outcome Error, string Message)? Verify(
        HttpRequest request, IReadOnlyDictionary<string, string> keys, DateTimeOffset now, out Signed? signed)
    {
        signed = null;
        if (Parse(request.Headers.Authorization.ToString()) is not { } head)
        {
            return (Outcome.SignatureNotMatch,
                $"The Authorization header is not a valid {Algorithm} header (Credential=<AccessKey ID>,SignedHeaders=<names>,Signature=<hex>).");
        }

        if (!keys.TryGetValue(head.AccessKeyId, out var secret))
        {
            return (Outcome.InvalidAccessKeyId, "The AccessKey ID is not one of Gateway:AccessKeys.");
        }

        if (!head.SignedHeaders.Contains(DateHeader))
        {
            return (Outcome.SignatureNotMatch, "The signature must cover x-acs-date.");
        }

        var date = request.Headers[DateHeader].ToString();
        if (!DateTimeOffset.TryParseExact(date, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt))
        {
            return (Outcome.SignatureNotMatch, "x-acs-date must be the signing time in UTC, yyyy-MM-ddTHH:mm:ssZ.");
        }

        if ((signedAt - now).Duration() > AllowedSkew)
        {
            return (Outcome.SignatureNotMatch, "The signature has expired: x-acs-date is more than 15 minutes from the gateway's time.");
        }

        var (rawPath, rawQuery) = RequestTarget.Split(request.HttpContext);
        if (QueryParameters(rawQuery.Span) is not { } parameters)
        {
            return (Outcome.SignatureNotMatch, RepeatedParameter);
        }

        var contentHash = head.SignedHeaders.Contains(ContentHashHeader) ? request.Headers[ContentHashHeader].ToString().Trim() : null;
        if (!Matches(request, head, secret, rawPath, parameters, contentHash ?? ""))
        {
            return (Outcome.SignatureNotMatch, Mismatch);
        }

        var nonce = head.SignedHeaders.Contains(NonceHeader) ? request.Headers[NonceHeader].ToString() : "";
        signed = new Signed(head.AccessKeyId, contentHash, nonce.Length > 0 ? nonce : null, signedAt + AllowedSkew);
        return null;
    }

    private sealed record Head(string AccessKeyId, string[] SignedHeaders, string SignedHeaderList, string Signature);

    private static bool Matches(
        HttpRequest request, Head head, string secret, string rawPath, SortedDictionary<string, string> parameters, string payload)
    {
        var presented = Encoding.ASCII.GetBytes(head.Signature);
        var matched = false;
        foreach (var path in CanonicalPaths(rawPath))
        {
            foreach (var query in CanonicalQueries(parameters))
            {
                var expected = Encoding.ASCII.GetBytes(Sign(secret, CanonicalRequest(request, head, path, query, payload)));
                matched |= CryptographicOperations.FixedTimeEquals(expected, presented);
            }
        }

        return matched;
    }

    private static string Sign(string secret, string canonicalRequest)
    {
        var stringToSign = $"{Algorithm}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(stringToSign)));
    }

    private static string CanonicalRequest(HttpRequest request, Head head, string path, string query, string payload)
    {
        var canonical = new StringBuilder()
            .Append(request.Method).Append('\n')
            .Append(path).Append('\n')
            .Append(query).Append('\n');
        foreach (var name in head.SignedHeaders)
        {
            canonical.Append(name).Append(':').Append(CanonicalValue(request.Headers[name])).Append('\n');
        }

        return canonical.Append('\n').Append(head.SignedHeaderList).Append('\n').Append(payload).ToString();
    }

    /// <summary>
    /// The path as the signers spell it, each distinct spelling once: Node.js, Go and Java take it as sent (<c>+</c>,
    /// <c>*</c>, <c>%7E</c> spelled <c>%20</c>, <c>%2A</c>, <c>~</c>); FC's documented example has a <c>$</c> as
    /// <c>%24</c>; Python percent-encodes all but <c>/</c> and the unreserved characters (<c>quote(path, safe='/~')</c>),
    /// here of the path decoded, so that this spelling names the same path as the request (an encoded slash stays one
    /// character of its segment, as the server holds it).
    /// </summary>
    private static IEnumerable<string> CanonicalPaths(string rawPath)
    {
        var asSent = rawPath.Length == 0 ? "/" : rawPath.Replace("+", "%20").Replace("*", "%2A").Replace("%7E", "~");
        var dollarEncoded = asSent.Replace("$", "%24");
        var pythonQuoted = string.Join('/', (rawPath.Length == 0 ? "/" : rawPath).Split('/').Select(PythonQuotedSegment));
        return new[] { asSent, dollarEncoded, pythonQuoted }.Distinct(StringComparer.Ordinal);
    }

    private static string PythonQuotedSegment(string segment) =>
        string.Join("%252F", segment.Split(EncodedSlashes, StringSplitOptions.None).Select(part => SignatureSyntax.Encode(Uri.UnescapeDataString(part), keepSlash: false)));

    /// <summary>
    /// The query as the signers spell it, each distinct spelling once: <c>name=value</c> for every parameter, or — as
    /// Python writes a parameter with an empty value — its name alone.
    /// </summary>
    private static IEnumerable<string> CanonicalQueries(SortedDictionary<string, string> parameters)
    {
        var withEquals = string.Join('&', parameters.Select(parameter => $"{parameter.Key}={SignatureSyntax.Encode(parameter.Value, keepSlash: false)}"));
        var emptyAsName = string.Join('&', parameters.Select(parameter =>
            parameter.Value.Length == 0 ? parameter.Key : $"{parameter.Key}={SignatureSyntax.Encode(parameter.Value, keepSlash: false)}"));
        return new[] { withEquals, emptyAsName }.Distinct(StringComparer.Ordinal);
    }

    /// <summary>
    /// The query as the signers take it — decoded as a form (<c>+</c> a space) — sorted by name, or null when it names
    /// a parameter twice: the signers sign a map, one value per name, so a second value would be one no signature
    /// covers. <see cref="CanonicalQueries"/> writes it, each name as it is and each value encoded (every byte but the
    /// unreserved characters as <c>%XX</c>).
    /// </summary>
    private static SortedDictionary<string, string>? QueryParameters(ReadOnlySpan<char> query)
    {
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var range in query.Split('&'))
        {
            var part = query[range];
            if (part.IsEmpty)
            {
                continue;
            }

            var equals = part.IndexOf('=');
            var name = FormDecode(equals < 0 ? part : part[..equals]);
            if (!parameters.TryAdd(name, FormDecode(equals < 0 ? [] : part[(equals + 1)..])))
            {
                return null;
            }
        }

        return parameters;
    }

    private static string FormDecode(ReadOnlySpan<char> text) => Uri.UnescapeDataString(text.ToString().Replace('+', ' '));

    /// <summary>A header's values, each trimmed, sorted and joined with commas; empty when the request does not carry it.</summary>
    private static string CanonicalValue(StringValues values) =>
        string.Join(',', values.Select(value => (value ?? "").Trim()).Order(StringComparer.Ordinal));

    private static Head? Parse(string authorization) =>
        SignatureSyntax.TryRead(authorization, Algorithm, out var keyId, out var headers, out var signedHeaders, out var signature)
            ? new Head(keyId, headers, signedHeaders, signature)
            : null;
}
