using System.Diagnostics.CodeAnalysis;
using FcGateway.Http;

namespace FcGateway.Configuration.Triggers;

/// <summary>
/// One entry of a <c>ClaimPassBy</c> list, <c>header:uid:X-User-Id</c> or <c>query:uid:uid</c>: copy the value of
/// claim <see cref="Claim"/> into request header or query parameter <see cref="Name"/>.
/// </summary>
internal sealed record ClaimPassByRule(TokenLocation Location, string Claim, string Name)
{
    /// <summary>
    /// Parses a comma-separated list of <c>header|query:&lt;claim&gt;:&lt;name&gt;</c> entries; false, with one error
    /// for each entry that is not one, when any is not.
    /// </summary>
    public static bool TryParseList(string text, [NotNullWhen(true)] out IReadOnlyList<ClaimPassByRule>? rules, out IReadOnlyList<string> errors)
    {
        var parsed = new List<ClaimPassByRule>();
        var problems = new List<string>();
        foreach (var entry in text.Split(','))
        {
            var parts = entry.Split(':');
            if (parts.Length != 3 || parts[1].Trim().Length == 0 || !TryParseTarget(parts[0].Trim(), parts[2].Trim(), out var location))
            {
                problems.Add($"'{entry.Trim()}' is not a claim pass-by rule: write header:<claim>:<header name> or query:<claim>:<parameter>, separated by commas; header names may not start with {FcHeaders.Prefix}.");
                continue;
            }

            parsed.Add(new ClaimPassByRule(location, parts[1].Trim(), parts[2].Trim()));
        }

        rules = problems.Count == 0 ? parsed : null;
        errors = problems;
        return rules is not null;
    }

    private static bool TryParseTarget(string location, string name, out TokenLocation target)
    {
        if (location.Equals("header", StringComparison.OrdinalIgnoreCase))
        {
            target = TokenLocation.Header;
            return HttpTokens.IsToken(name) && !IsReservedHeader(name);
        }

        target = TokenLocation.Query;
        return location.Equals("query", StringComparison.OrdinalIgnoreCase) && name.Length > 0;
    }

    /// <summary>
    /// Headers a claim may not be written to: the gateway's own <c>x-fc-*</c> namespace and the ones that frame
    /// or route the request.
    /// </summary>
    private static bool IsReservedHeader(string name) =>
        FcHeaders.IsFcHeader(name)
        || name.Equals("Host", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Connection", StringComparison.OrdinalIgnoreCase);
}
