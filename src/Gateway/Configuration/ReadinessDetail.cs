
namespace FcGateway.Configuration;

/// <summary>Who sees which functions <c>/readyz</c> counts (<c>Gateway:Health:ReadinessDetail</c>); the others see the status alone.</summary>
public enum ReadinessDetail
{
    /// <summary>Loopback callers, and callers presenting a bearer token of the invocation API (the default).</summary>
    Loopback,

    /// <summary>Every caller: the function names are not secret in this deployment.</summary>
    Everyone,

    /// <summary>No caller: <c>/readyz</c> answers with the status only.</summary>
    Nobody,
}
