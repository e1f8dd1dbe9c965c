namespace FcGateway.Triggers;

/// <summary>The names under which the trigger policies are registered and set on every function route.</summary>
internal static class TriggerPolicyNames
{
    /// <summary>The authentication scheme that checks the credentials a trigger asks for.</summary>
    public const string AuthenticationScheme = "FcTrigger";

    /// <summary>The authorization policy and the CORS policy of every function route.</summary>
    public const string Policy = "FcTrigger";
}
