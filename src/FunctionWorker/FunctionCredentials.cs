namespace FcWorker;

/// <summary>
/// Temporary credentials Function Compute grants the function's role for one invocation
/// (<c>x-fc-access-key-id</c>, <c>x-fc-access-key-secret</c>, <c>x-fc-security-token</c>).
/// </summary>
/// <remarks><see cref="object.ToString"/> is not overridden, so logging the object never prints the secret.</remarks>
/// <param name="accessKeyId">The access key id.</param>
/// <param name="accessKeySecret">The access key secret.</param>
/// <param name="securityToken">The STS security token.</param>
public sealed class FunctionCredentials(string accessKeyId, string accessKeySecret, string securityToken)
{
    /// <summary>Credentials with every field empty, for invocations that carry none.</summary>
    public static FunctionCredentials Empty { get; } = new(string.Empty, string.Empty, string.Empty);

    /// <summary>The access key id; empty when none was sent.</summary>
    public string AccessKeyId { get; } = accessKeyId;

    /// <summary>The access key secret; empty when none was sent.</summary>
    public string AccessKeySecret { get; } = accessKeySecret;

    /// <summary>The STS security token; empty when none was sent.</summary>
    public string SecurityToken { get; } = securityToken;
}
