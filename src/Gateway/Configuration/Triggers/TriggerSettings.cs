using Microsoft.AspNetCore.Cors.Infrastructure;

namespace FcGateway.Configuration.Triggers;

/// <summary>
/// Settings of one HTTP trigger (route), from <c>Gateway:Triggers:{routeId}</c>: authentication, allowed methods
/// and CORS. Keys, token hashes and the CORS policy are parsed once per settings snapshot, never per request.
/// </summary>
public sealed record TriggerSettings
{
    // Declared before Default, which reads it while being constructed.
    private static readonly Task<CorsPolicy?> NoCorsPolicy = Task.FromResult<CorsPolicy?>(null);

    /// <summary>The settings of a route without an entry: anonymous, every method, no CORS.</summary>
    public static readonly TriggerSettings Default = new();

    /// <summary>How callers authenticate; <see cref="TriggerAuthType.Anonymous"/> by default.</summary>
    public TriggerAuthType AuthType { get; init; }

    /// <summary>SHA-256 hashes of the accepted bearer tokens, compared in constant time.</summary>
    internal IReadOnlyList<byte[]> BearerTokenHashes { get; init; } = [];

    /// <summary>The JWT settings when <see cref="AuthType"/> is <see cref="TriggerAuthType.Jwt"/>.</summary>
    internal JwtTriggerSettings? Jwt { get; init; }

    /// <summary>The allowed methods (upper case), or null when every method is allowed.</summary>
    internal IReadOnlyList<string>? Methods { get; init; }

    /// <summary>The <c>Allow</c> header of a 405 answer: <see cref="Methods"/> joined with <c>", "</c>.</summary>
    internal string AllowHeader { get; init; } = "";

    /// <summary>The CORS policy, or null when the trigger has no CORS configuration.</summary>
    internal CorsPolicy? Cors
    {
        get => CorsPolicyTask.Result;
        init => CorsPolicyTask = value is null ? NoCorsPolicy : Task.FromResult<CorsPolicy?>(value);
    }

    /// <summary>
    /// <see cref="Cors"/> as the completed task <see cref="ICorsPolicyProvider"/> returns, created once per
    /// settings snapshot so answering the CORS middleware allocates nothing.
    /// </summary>
    internal Task<CorsPolicy?> CorsPolicyTask { get; private init; } = NoCorsPolicy;

    /// <summary>Whether <paramref name="method"/> may invoke the function.</summary>
    internal bool AllowsMethod(string method)
    {
        if (Methods is null)
        {
            return true;
        }

        foreach (var allowed in Methods)
        {
            if (string.Equals(allowed, method, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether a request must present credentials, given its routed <paramref name="path"/> and the still-encoded
    /// path of its request target (<paramref name="rawPath"/>); see <see cref="PathScope.IsVerified"/>.
    /// </summary>
    internal bool RequiresAuthentication(PathString path, string rawPath) => AuthType switch
    {
        TriggerAuthType.Anonymous => false,
        TriggerAuthType.Jwt => Jwt!.Scope.IsVerified(path, rawPath),
        _ => true,
    };
}
