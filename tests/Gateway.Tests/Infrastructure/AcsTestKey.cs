namespace Gateway.Tests.Infrastructure;

/// <summary>
/// The AccessKey pair the tests' <c>ACS3-HMAC-SHA256</c> signatures were made with by the official signer
/// (<c>@alicloud/openapi-util</c>'s <c>getAuthorization</c>), all at <see cref="SigningTime"/>.
/// </summary>
internal static class AcsTestKey
{
    public const string KeyId = "LTAI5tExampleKeyId";
    public const string Secret = "ExampleSecretForTheGatewayTests0";

    /// <summary><see cref="SigningTime"/> as the requests' <c>x-acs-date</c>.</summary>
    public const string SignedAt = "2026-12-03T12:00:00Z";

    public static readonly DateTimeOffset SigningTime = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Sets the key in the gateway's <c>Gateway:AccessKeys</c>.</summary>
    public static GatewayConfiguration WithAccessKey(this GatewayConfiguration config) => config.Set($"Gateway:AccessKeys:{KeyId}", Secret);
}
