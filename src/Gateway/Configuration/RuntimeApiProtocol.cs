namespace FcGateway.Configuration;

/// <summary>The runtime API a pull function's workers ask for their invocations (<c>Gateway:Functions:{name}:RuntimeApi</c>).</summary>
public enum RuntimeApiProtocol
{
    /// <summary>FC's runtime API, <c>/2020-11-11/runtime/invocation/…</c>, at the address in <c>FC_RUNTIME_API</c> (wire contract §13).</summary>
    Fc,

    /// <summary>AWS Lambda's runtime API, <c>/2018-06-01/runtime/invocation/…</c> (wire contract §14).</summary>
    Lambda,
}
