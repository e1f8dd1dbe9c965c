namespace FcGateway.Launch;

/// <summary>A function's instance process could not be started; the message names the function, the command and why.</summary>
internal sealed class FunctionLaunchException(string message, Exception innerException) : Exception(message, innerException);
