using System.Security.Claims;
using FcGateway.Configuration.Triggers;

namespace FcGateway.Edge.Triggers;

/// <summary>The credential a request was authenticated with: where the token was and the identity it carried.</summary>
internal sealed class TriggerCredentialFeature(TokenSource source, ClaimsPrincipal principal)
{
    /// <summary>Where the accepted token was found; it is removed from the request unless the trigger forwards it.</summary>
    public TokenSource Source { get; } = source;

    /// <summary>The claims of the token (none for a bearer token).</summary>
    public ClaimsPrincipal Principal { get; } = principal;
}
