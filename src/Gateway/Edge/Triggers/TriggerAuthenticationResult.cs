
namespace FcGateway.Edge.Triggers;

/// <summary>What <see cref="TriggerAuthenticator"/> made of a request's credentials.</summary>
internal enum TriggerAuthenticationResult
{
    /// <summary>A token the trigger accepts; the request goes on.</summary>
    Accepted,

    /// <summary>No token where the trigger looks for one: 401 with <c>WWW-Authenticate: Bearer</c>.</summary>
    Missing,

    /// <summary>A token that is not valid: 401 with <c>WWW-Authenticate: Bearer error="invalid_token"</c>.</summary>
    Invalid,
}
