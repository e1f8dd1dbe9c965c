using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FcGateway.Configuration;
using FcGateway.Edge.HttpTriggers;
using FcGateway.Outcomes;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace FcGateway.Edge.Signatures;

/// <summary>
/// Verifies AWS Signature Version 4 on a call to Lambda's Invoke API or to a trigger of <c>AuthType: aws_iam</c>, as the
/// AWS CLI and SDKs sign it (<c>Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…</c>,
/// <c>X-Amz-Date</c>), against the secrets of <c>Gateway:InvokeApi:AwsAccessKeys</c>. The head is judged before the body is read (<see cref="Read"/>), the
/// signature, which covers the body's hash, once it is (<see cref="Matches"/>).
/// </summary>
internal static class AwsSignatureV4
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    private const string Service = "lambda";
    private const string Terminator = "aws4_request";
    private const string DateHeader = "x-amz-date";
    private const string Authority = ":authority";
    private const string DateFormat = "yyyyMMdd'T'HHmmss'Z'";
    /// <summary>How far <c>X-Amz-Date</c> may be from the gateway's time: AWS takes a request within five minutes of its time stamp.</summary>
    private static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(5);

    /// <summary>Why a signature that is not the one its key's secret gives is refused (Lambda's words).</summary>
    public const string Mismatch =
        "The request signature we calculated does not match the signature you provided. Check your AWS secret access key and signing method.";

    private const string Expired = "Signature expired: X-Amz-Date is more than 5 minutes from the gateway's time.";

    /// <summary>How the refusal of a credential scoped to another region or service begins (Lambda's words).</summary>
    private const string WrongScope = "Credential should be scoped to";

    /// <summary>What the <c>Authorization</c> header of a signed request says.</summary>
    public sealed record Signed(string AccessKeyId, string Date, string Region, string AmzDate, string[] SignedHeaders, string SignedHeaderList, string Signature)
        : SignedCall
    {
        public override bool Covers(HttpRequest request, GatewaySettings settings, ReadOnlySpan<byte> body) =>
            Matches(request, this, settings.InvokeApi.AwsAccessKeys[AccessKeyId], body);

        public override (Outcome Error, string Message) BodyRefusal => (Outcome.Unauthenticated, Mismatch);
    }

    /// <summary>Whether the request carries a Signature Version 4 <c>Authorization</c> header.</summary>
    public static bool IsSigned(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith(Algorithm + " ", StringComparison.Ordinal);

    /// <summary>
    /// Reads the signature's head and judges what can be judged before the body: the key, the scope, the headers it must
    /// cover (host, or over HTTP/2 its <c>:authority</c>; the date; and those of <paramref name="coveredWhenSent"/> the
    /// request carries: headers that change what the request does), the time.
    /// </summary>
    /// <returns>Why the request is refused, or null with <paramref name="signed"/> set.</returns>
    public static string? Read(
        HttpRequest request, IReadOnlyDictionary<string, string> keys, string region, DateTimeOffset now, string[] coveredWhenSent, out Signed? signed)
    {
        signed = null;
        if (Parse(request.Headers.Authorization.ToString()) is not { } head)
        {
            return "The Authorization header is not a valid AWS Signature Version 4 header.";
        }

        if (!keys.ContainsKey(head.AccessKeyId))
        {
            return "The security token included in the request is invalid: its access key is not one of Gateway:InvokeApi:AwsAccessKeys.";
        }

        if (head.Region.Length == 0 || (region.Length > 0 && head.Region != region))
        {
            return $"{WrongScope} region {region} and service {Service}.";
        }

        if (!CoversAuthority(request, head) || !head.SignedHeaders.Contains(DateHeader))
        {
            return "The signature must cover host (or, over HTTP/2, :authority) and x-amz-date.";
        }

        if (Array.Find(coveredWhenSent, name => request.Headers.ContainsKey(name) && !head.SignedHeaders.Contains(name, StringComparer.OrdinalIgnoreCase)) is { } unsigned)
        {
            return $"The signature must cover {unsigned}, which the request carries: unsigned, it could have been added to a signed call by anyone.";
        }

        var amzDate = request.Headers[DateHeader].ToString();
        if (!DateTimeOffset.TryParseExact(amzDate, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt)
            || !amzDate.AsSpan(0, "yyyyMMdd".Length).SequenceEqual(head.Date))
        {
            return "X-Amz-Date must be the signing time, yyyyMMddTHHmmssZ, on the credential's date.";
        }

        if ((signedAt - now).Duration() > AllowedSkew)
        {
            return Expired;
        }

        signed = head with { AmzDate = amzDate };
        return null;
    }

    /// <summary>
    /// Whether the signature covers the authority the request was sent to: its <c>host</c>, or, over HTTP/2 and HTTP/3,
    /// its <c>:authority</c>, which the AWS SDK for JavaScript signs in place of <c>host</c> when it speaks HTTP/2
    /// (<c>NodeHttp2Handler</c>), as AWS's HTTP/2 services take it.
    /// </summary>
    private static bool CoversAuthority(HttpRequest request, Signed head) =>
        head.SignedHeaders.Contains("host") || (head.SignedHeaders.Contains(Authority) && HasAuthority(request));

    /// <summary>Whether the request came with <c>:authority</c>, which Kestrel gives as its <c>Host</c> and keeps out of its headers.</summary>
    private static bool HasAuthority(HttpRequest request) => HttpProtocol.IsHttp2(request.Protocol) || HttpProtocol.IsHttp3(request.Protocol);

    /// <summary>A signed header's value in the canonical request: <c>:authority</c>'s is the request's <c>Host</c>.</summary>
    private static StringValues SignedValue(HttpRequest request, string name) =>
        name == Authority && HasAuthority(request) ? request.Headers.Host : request.Headers[name];

    /// <summary>
    /// Whether a refusal's <paramref name="message"/> says the signature does not hold, has expired or is scoped to another
    /// region or service, which Lambda calls <c>InvalidSignatureException</c> (the SDKs retry an expired one once they
    /// have corrected their clock), where a key it does not know is <c>UnrecognizedClientException</c>.
    /// </summary>
    public static bool IsInvalidSignature(string? message) =>
        message is Mismatch or Expired || (message?.StartsWith(WrongScope, StringComparison.Ordinal) ?? false);

    /// <summary>Whether the signature is the one the secret of its key gives for this request and <paramref name="body"/>.</summary>
    public static bool Matches(HttpRequest request, Signed signed, string secret, ReadOnlySpan<byte> body)
    {
        var stringToSign = $"{Algorithm}\n{signed.AmzDate}\n{signed.Date}/{signed.Region}/{Service}/{Terminator}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalRequest(request, signed, body))))}";
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secret), signed.Date);
        key = Hmac(key, signed.Region);
        key = Hmac(key, Service);
        key = Hmac(key, Terminator);
        var expected = Encoding.ASCII.GetBytes(Hex(Hmac(key, stringToSign)));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signed.Signature));
    }

    private static string CanonicalRequest(HttpRequest request, Signed signed, ReadOnlySpan<byte> body)
    {
        var target = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        var pathAndQuery = RequestTarget.PathAndQuery(target);
        var question = pathAndQuery.IndexOf('?');
        var path = question < 0 ? pathAndQuery : pathAndQuery[..question];
        var query = question < 0 ? "" : pathAndQuery[(question + 1)..];
        var canonical = new StringBuilder()
            .Append(request.Method).Append('\n')
            .Append(CanonicalPath(path.ToString())).Append('\n')
            .Append(CanonicalQuery(query.ToString())).Append('\n');
        foreach (var name in signed.SignedHeaders)
        {
            canonical.Append(name).Append(':').Append(CanonicalValue(SignedValue(request, name))).Append('\n');
        }

        return canonical.Append('\n').Append(signed.SignedHeaderList).Append('\n').Append(Hex(SHA256.HashData(body))).ToString();
    }

    /// <summary>
    /// The path as the signers (botocore, the AWS SDKs) write it for every service but S3: its empty segments removed, a
    /// trailing slash kept, then encoded — so <c>/echo//data</c> is signed as <c>/echo/data</c>. Dot-segments never get
    /// here: the edge refuses them.
    /// </summary>
    private static string CanonicalPath(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var normalized = "/" + string.Join('/', segments) + (segments.Length > 0 && path.EndsWith('/') ? "/" : "");
        return SignatureSyntax.Encode(normalized, keepSlash: true);
    }

    /// <summary>
    /// Each parameter decoded once, as a form (<c>+</c> is a space: botocore sends <c>params</c> so, signed as <c>%20</c>),
    /// and encoded as SigV4 encodes, sorted by name, then value.
    /// </summary>
    private static string CanonicalQuery(string query)
    {
        var pairs = new List<(string Name, string Value)>();
        foreach (var part in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=');
            var name = equals < 0 ? part : part[..equals];
            var value = equals < 0 ? "" : part[(equals + 1)..];
            pairs.Add((SignatureSyntax.Encode(FormDecode(name), keepSlash: false), SignatureSyntax.Encode(FormDecode(value), keepSlash: false)));
        }

        pairs.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name) is var byName and not 0 ? byName : string.CompareOrdinal(a.Value, b.Value));
        return string.Join('&', pairs.Select(pair => $"{pair.Name}={pair.Value}"));
    }

    private static string FormDecode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

    /// <summary>A header's values trimmed, inner runs of spaces made one, joined with commas.</summary>
    private static string CanonicalValue(StringValues values) =>
        string.Join(',', values.Select(value => string.Join(' ', (value ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))));

    private static Signed? Parse(string authorization)
    {
        if (!SignatureSyntax.TryRead(authorization, Algorithm, out var credential, out var headers, out var signedHeaders, out var signature)
            || credential.Split('/') is not [var keyId, var date, var region, var service, Terminator] || keyId.Length == 0)
        {
            return null;
        }

        // A scope of another service names no region of this one: refused, as such a scope is, saying what it must be.
        return new Signed(keyId, date, service == Service ? region : "", "", headers, signedHeaders, signature);
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
