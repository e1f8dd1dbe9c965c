using System.Security.Cryptography;
using System.Text;
using FcGateway.Configuration;
using FcGateway.Edge.Requests;
using FcGateway.Outcomes;

namespace FcGateway.Edge.InvokeApi;

/// <summary>Who may call the direct invocation API: holders of a configured bearer token, or, with none configured, loopback callers (<see cref="LoopbackClient"/>).</summary>
internal static class InvokeApiAccess
{
    private const string BearerPrefix = "Bearer ";

    /// <returns>The refusal, or null when the caller may proceed.</returns>
    public static (Outcome Error, string Message)? Check(HttpContext context, InvokeApiSettings settings)
    {
        if (settings.BearerTokens.Count == 0)
        {
            return LoopbackClient.IsLoopback(context)
                ? null
                : (Outcome.AccessDenied, "The invocation API accepts only loopback callers until Gateway:InvokeApi:BearerTokens is configured.");
        }

        var authorization = context.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return (Outcome.Unauthenticated, "Call the invocation API with Authorization: Bearer <token>.");
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
