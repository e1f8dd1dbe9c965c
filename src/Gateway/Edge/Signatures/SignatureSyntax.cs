using System.Globalization;
using System.Text;

namespace FcGateway.Edge.Signatures;

/// <summary>
/// What AWS's and Alibaba Cloud's signatures share: the <c>Authorization</c> header's
/// <c>{algorithm} Credential=…,SignedHeaders=…,Signature=…</c>, and the URI encoding of their canonical requests.
/// </summary>
internal static class SignatureSyntax
{
    /// <summary>The three components of an <c>Authorization</c> header that starts with <paramref name="algorithm"/> and a space.</summary>
    /// <returns>False when a component is missing or not <c>name=value</c>; the signed header names must be lower case, each once, sorted.</returns>
    public static bool TryRead(string authorization, string algorithm, out string credential, out string[] signedHeaders, out string signedHeaderList, out string signature)
    {
        credential = signedHeaderList = signature = "";
        signedHeaders = [];
        foreach (var component in authorization[(algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = component.IndexOf('=');
            if (equals <= 0)
            {
                return false;
            }

            var value = component[(equals + 1)..];
            switch (component[..equals])
            {
                case "Credential": credential = value; break;
                case "SignedHeaders": signedHeaderList = value; break;
                case "Signature": signature = value; break;
                default: return false;
            }
        }

        signedHeaders = signedHeaderList.Split(';');
        return credential.Length > 0 && signedHeaderList.Length > 0 && signature.Length > 0
            && !signedHeaders.Any(name => name.Length == 0 || name.Any(char.IsAsciiLetterUpper)) && IsStrictlyAscending(signedHeaders);
    }

    /// <summary>
    /// Whether each name is listed once, sorted, as every signer lists them: a name listed again would be canonicalized
    /// and hashed again, and a few kilobytes of request would make megabytes of canonical request for anyone who knows
    /// a key id.
    /// </summary>
    private static bool IsStrictlyAscending(string[] names)
    {
        for (var i = 1; i < names.Length; i++)
        {
            if (string.CompareOrdinal(names[i - 1], names[i]) >= 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>RFC 3986 encoding as the signers write it: every byte of the UTF-8 text but the unreserved characters as <c>%XX</c>; a path keeps its slashes.</summary>
    public static string Encode(string text, bool keepSlash)
    {
        var encoded = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' || (keepSlash && c == '/'))
            {
                encoded.Append(c);
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return encoded.ToString();
    }
}
