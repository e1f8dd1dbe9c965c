using System.Net;
using System.Security.Cryptography;
using System.Text;
using FcGateway.Errors;
using Microsoft.Net.Http.Headers;

namespace FcGateway.InvokeApi;

/// <summary>Who may call the direct invocation API: holders of a configured bearer token, or, with none configured, loopback peers.</summary>
internal static class InvokeApiAccess
{
    private const string BearerPrefix = "Bearer ";

    /// <returns>The refusal, or null when the caller may proceed.</returns>
    public static (GatewayError Error, string Message)? Check(HttpContext context, InvokeApiSettings settings)
    {
        if (settings.BearerTokens.Count == 0)
        {
            return IsLoopback(context.Connection.RemoteIpAddress)
                ? null
                : (GatewayError.AccessDenied, "The invocation API accepts only loopback callers until Gateway:InvokeApi:BearerTokens is configured.");
        }

        var authorization = context.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return (GatewayError.Unauthenticated, "Call the invocation API with Authorization: Bearer <token>.");
        }

        var presented = Encoding.UTF8.GetBytes(authorization[BearerPrefix.Length..].Trim());
        foreach (var token in settings.BearerTokens)
        {
            if (CryptographicOperations.FixedTimeEquals(presented, Encoding.UTF8.GetBytes(token)))
            {
                return null;
            }
        }

        context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
        return (GatewayError.Unauthenticated, "The bearer token is not valid for the invocation API.");
    }

    private static bool IsLoopback(IPAddress? address) => address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
}
