namespace FcGateway.Errors;

/// <summary>How one <see cref="GatewayError"/> appears on the wire.</summary>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="ErrorCode">The FC <c>errorCode</c>; for a function failure the literal body instead.</param>
/// <param name="DefaultMessage">The <c>errorMessage</c> used when the caller gives none.</param>
internal sealed record GatewayErrorDescriptor(int StatusCode, string ErrorCode, string DefaultMessage);
