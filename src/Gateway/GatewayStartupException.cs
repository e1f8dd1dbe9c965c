namespace FcGateway;

/// <summary>The gateway cannot start for a reason outside its configuration's validity (e.g. a port in use); the message says what to change.</summary>
public sealed class GatewayStartupException(string message, Exception? innerException = null) : Exception(message, innerException);
