
namespace FcGateway.Configuration;

/// <summary>
/// Credentials handed to a function (<c>x-fc-access-key-id</c>, <c>x-fc-access-key-secret</c>,
/// <c>x-fc-security-token</c>). Keep them out of files under version control: set them through
/// environment variables such as <c>Gateway__Functions__echo__Credentials__AccessKeySecret</c>.
/// </summary>
public sealed record FunctionCredentials
{
    /// <summary>No credentials: no credential header is sent.</summary>
    public static readonly FunctionCredentials None = new();

    /// <summary>Sent as <c>x-fc-access-key-id</c>.</summary>
    public string? AccessKeyId { get; init; }

    /// <summary>Sent as <c>x-fc-access-key-secret</c>.</summary>
    public string? AccessKeySecret { get; init; }

    /// <summary>Sent as <c>x-fc-security-token</c>.</summary>
    public string? SecurityToken { get; init; }
}
