namespace FcGateway.Triggers;

/// <summary>Settings of one HTTP trigger (route), from <c>Gateway:Triggers:{routeId}</c>.</summary>
public sealed record TriggerSettings
{
    /// <summary>The settings of a route without an entry: anonymous, every method, no CORS.</summary>
    public static readonly TriggerSettings Default = new();
}
