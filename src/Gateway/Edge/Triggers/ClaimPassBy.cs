using FcGateway.Configuration.Triggers;
using FcGateway.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.Net.Http.Headers;

namespace FcGateway.Edge.Triggers;

/// <summary>
/// Shapes the request the function sees once the trigger has let it through: removes every token found in the
/// trigger's token sources (unless <c>Jwt:ForwardToken</c>), and for every <c>ClaimPassBy</c> rule removes what the
/// client sent under that header (in every spelling <see cref="CgiHeaderNames"/> reads alike) or query name and
/// writes the claim's value there instead — so a claim cannot be forged, even on a path outside the JWT scope. Runs
/// before the proxy pipeline builds the event or forwards the request.
/// </summary>
internal static class ClaimPassBy
{
    /// <param name="request">The request to rewrite.</param>
    /// <param name="trigger">Its trigger, one that is not anonymous.</param>
    /// <param name="credential">The accepted credential; null on a path outside the trigger's scope.</param>
    public static void Rewrite(HttpRequest request, TriggerSettings trigger, TriggerCredentialFeature? credential)
    {
        if (trigger.Jwt is not { ForwardToken: true })
        {
            // Every token-shaped value goes, not only the accepted one: a function must never see a token the
            // gateway did not verify (an invalid one, or any on a path outside the JWT scope) and trust it.
            foreach (var source in trigger.Jwt?.TokenLookup ?? TokenSource.DefaultLookup)
            {
                if (source.Find(request) is not null)
                {
                    RemoveToken(request, source);
                }
            }
        }

        foreach (var rule in trigger.Jwt?.ClaimPassBy ?? [])
        {
            // A claim that is JSON null holds no value: it is passed as a missing one is, not as an empty one.
            var values = credential?.Principal.FindAll(rule.Claim).Where(claim => claim.ValueType != JsonClaimValueTypes.JsonNull).Select(claim => claim.Value).ToArray() ?? [];
            var value = values.Length == 0 ? null : string.Join(',', values);
            if (rule.Location == TokenLocation.Header)
            {
                RemoveEverySpelling(request.Headers, rule.Name);

                // A claim holding what no header value may (a control character, CR or LF) cannot travel as one: the
                // function sees no header, as for a missing claim, in web mode (where a worker would refuse the request
                // or HttpClient drop the header) and in the event alike. Text outside ASCII travels in UTF-8, as the
                // client's own header values do.
                if (value is not null && !HttpTokens.HasControlCharacter(value))
                {
                    request.Headers[rule.Name] = value;
                }
            }
            else
            {
                request.QueryString = QueryParameters.Replace(request.QueryString, rule.Name, value);
            }
        }
    }

    /// <summary>
    /// Removes what the client sent under <paramref name="name"/> in every spelling a CGI- or WSGI-style function reads
    /// as it (<c>X_User_Id</c> for <c>X-User-Id</c>), so no forged value stands beside the claim.
    /// </summary>
    private static void RemoveEverySpelling(IHeaderDictionary headers, string name)
    {
        List<string>? spellings = null;
        foreach (var header in headers)
        {
            if (CgiHeaderNames.AreSame(header.Key, name))
            {
                (spellings ??= []).Add(header.Key);
            }
        }

        spellings?.ForEach(spelling => headers.Remove(spelling));
    }

    private static void RemoveToken(HttpRequest request, TokenSource source)
    {
        switch (source.Location)
        {
            case TokenLocation.Header:
                request.Headers.Remove(source.Name);
                break;
            case TokenLocation.Query:
                request.QueryString = QueryParameters.Replace(request.QueryString, source.Name, value: null);
                break;
            default:
                RemoveCookie(request, source.Name);
                break;
        }
    }

    private static void RemoveCookie(HttpRequest request, string name)
    {
        var kept = new List<string>();
        foreach (var header in request.Headers.Cookie)
        {
            foreach (var cookie in (header ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var separator = cookie.IndexOf('=', StringComparison.Ordinal);
                var cookieName = separator < 0 ? cookie : cookie[..separator].Trim();
                if (!cookieName.Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    kept.Add(cookie);
                }
            }
        }

        if (kept.Count == 0)
        {
            request.Headers.Remove(HeaderNames.Cookie);
        }
        else
        {
            request.Headers.Cookie = string.Join("; ", kept);
        }
    }
}
