
namespace FcGateway.Configuration;

/// <summary>
/// The direct invocation API (<c>Gateway:InvokeApi</c>). With no bearer token configured it accepts calls
/// from loopback peers only; give it tokens before exposing it beyond the machine.
/// </summary>
public sealed record InvokeApiSettings
{
    /// <summary>The defaults: enabled, loopback only.</summary>
    public static readonly InvokeApiSettings Default = new();

    /// <summary>False switches the API off: its path then answers 404 FunctionNotFound.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Tokens accepted as <c>Authorization: Bearer &lt;token&gt;</c>; empty means loopback callers only.</summary>
    public IReadOnlyList<string> BearerTokens { get; init; } = [];
}
