using System.Security.Cryptography;
using System.Text;
using FcGateway.Configuration;
using FcGateway.Edge.Requests;
using FcGateway.Outcomes;

namespace FcGateway.Edge.InvokeApi;

/// <summary>
/// Who may call the direct invocation API: holders of a configured bearer token, callers of Lambda's Invoke who sign with
/// a configured AWS access key, or, with neither configured, loopback callers (<see cref="LoopbackClient"/>).
/// </summary>
internal static class InvokeApiAccess
{
    private const string BearerPrefix = "Bearer ";

    /// <param name="context">The call.</param>
    /// <param name="settings">The API's settings.</param>
    /// <param name="awsKeys">The AWS access keys whose signatures the API takes (Lambda's Invoke), else none.</param>
    /// <param name="region">The region an AWS signature must be scoped to (<c>Gateway:Region</c>; any when empty).</param>
    /// <param name="now">The gateway's time, for the signature's.</param>
    /// <param name="signed">A signed call's signature, which the endpoint checks once it has read the body it covers.</param>
    /// <returns>The refusal, or null when the caller may proceed.</returns>
    public static (Outcome Error, string Message)? Check(
        HttpContext context, InvokeApiSettings settings, IReadOnlyDictionary<string, string> awsKeys, string region, DateTimeOffset now, out AwsSignatureV4.Signed? signed)
    {
        signed = null;
        if (awsKeys.Count > 0 && AwsSignatureV4.IsSigned(context.Request))
        {
            return AwsSignatureV4.Read(context.Request, awsKeys, region, now, out signed) is { } problem ? (Outcome.Unauthenticated, problem) : null;
        }

        if (settings.BearerTokens.Count == 0 && awsKeys.Count == 0)
        {
            return LoopbackClient.IsLoopback(context)
                ? null
                : (Outcome.AccessDenied, "The invocation API accepts only loopback callers until Gateway:InvokeApi:BearerTokens is configured.");
        }

        var authorization = context.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return (Outcome.Unauthenticated, awsKeys.Count > 0
                ? "Sign the call with a key of Gateway:InvokeApi:AwsAccessKeys (AWS Signature Version 4), or send Authorization: Bearer <token>."
                : "Call the invocation API with Authorization: Bearer <token>.");
        }

        if (HasValidToken(context.Request, settings))
        {
            return null;
        }

        context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
        return (Outcome.Unauthenticated, "The bearer token is not valid for the invocation API.");
    }

    /// <summary>Whether the request carries <c>Authorization: Bearer</c> with one of the configured tokens.</summary>
    public static bool HasValidToken(HttpRequest request, InvokeApiSettings settings)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (settings.BearerTokens.Count == 0 || !authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var presented = Encoding.UTF8.GetBytes(authorization[BearerPrefix.Length..].Trim());
        var matched = false;
        foreach (var token in settings.BearerTokens)
        {
            // Every token is compared, so the time taken does not tell which one came close.
            matched |= CryptographicOperations.FixedTimeEquals(presented, Encoding.UTF8.GetBytes(token));
        }

        return matched;
    }
}
