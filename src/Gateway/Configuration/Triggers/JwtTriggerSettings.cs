using Microsoft.IdentityModel.Tokens;

namespace FcGateway.Configuration.Triggers;

/// <summary>The parsed <c>Jwt</c> settings of a trigger.</summary>
internal sealed record JwtTriggerSettings
{
    /// <summary>Signature keys, algorithms, lifetime, issuer and audience; built once per settings snapshot.</summary>
    public required TokenValidationParameters ValidationParameters { get; init; }

    /// <summary>Where the token is looked for, in order.</summary>
    public required IReadOnlyList<TokenSource> TokenLookup { get; init; }

    /// <summary>Claims copied into the request the function sees.</summary>
    public IReadOnlyList<ClaimPassByRule> ClaimPassBy { get; init; } = [];

    /// <summary>Which paths are verified.</summary>
    public PathScope Scope { get; init; } = PathScope.All;

    /// <summary>Whether the token reaches the function; false removes it from the forwarded request.</summary>
    public bool ForwardToken { get; init; }
}
