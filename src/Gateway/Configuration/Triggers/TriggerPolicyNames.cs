
namespace FcGateway.Configuration.Triggers;

/// <summary>The name under which the trigger CORS policy is set on every function route.</summary>
internal static class TriggerPolicyNames
{
    /// <summary>The CORS policy of every function route; <c>TriggerCorsPolicyProvider</c> resolves it per trigger.</summary>
    public const string Cors = "FcTrigger";
}
