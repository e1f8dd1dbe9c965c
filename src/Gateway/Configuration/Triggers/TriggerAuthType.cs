
namespace FcGateway.Configuration.Triggers;

/// <summary>How an HTTP trigger authenticates its callers (FC <c>authType</c>).</summary>
public enum TriggerAuthType
{
    /// <summary>No check: every caller may invoke the function.</summary>
    Anonymous,

    /// <summary>A JSON Web Token signed by a key of the trigger's JWKS.</summary>
    Jwt,

    /// <summary><c>Authorization: Bearer</c> with one of the trigger's static tokens.</summary>
    Bearer,
}
