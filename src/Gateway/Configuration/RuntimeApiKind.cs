namespace FcGateway.Configuration;

/// <summary>How a function's instances receive their invocations.</summary>
public enum RuntimeApiKind
{
    /// <summary>Pushed: the gateway posts each invocation to a worker's <c>/invoke</c> (wire contract §2).</summary>
    None,

    /// <summary>Pulled: the function's processes poll FC's runtime API, which the gateway serves (wire contract §13).</summary>
    Fc,
}
