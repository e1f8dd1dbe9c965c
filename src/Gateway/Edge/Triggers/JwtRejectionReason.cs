using Microsoft.IdentityModel.Tokens;

namespace FcGateway.Edge.Triggers;

/// <summary>
/// Why IdentityModel rejected a token, in a few words for the log. Its own messages span several lines, list the
/// keys tried and may quote the token, so they are never logged.
/// </summary>
internal static class JwtRejectionReason
{
    /// <summary>A short, single-line reason for <paramref name="exception"/>, naming its type when it is not a known one.</summary>
    public static string Describe(Exception? exception) => exception switch
    {
        null => "no reason given",
        SecurityTokenSignatureKeyNotFoundException => "no key of the JWKS has its kid",
        SecurityTokenInvalidSignatureException => "the signature does not verify",
        SecurityTokenInvalidAlgorithmException => "its algorithm is not allowed",
        SecurityTokenExpiredException => "it has expired",
        SecurityTokenNotYetValidException => "it is not valid yet",
        SecurityTokenNoExpirationException => "it has no exp",
        SecurityTokenInvalidIssuerException => "its issuer is not the trigger's",
        SecurityTokenInvalidAudienceException => "its audience is not the trigger's",
        SecurityTokenMalformedException => "it is not a well-formed JWT",
        _ => exception.GetType().Name,
    };
}
