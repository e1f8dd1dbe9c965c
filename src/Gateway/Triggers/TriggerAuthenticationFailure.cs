namespace FcGateway.Triggers;

/// <summary>Marks a request whose credentials were present but not valid, so the 401 says <c>error="invalid_token"</c>.</summary>
internal sealed class TriggerAuthenticationFailure
{
    /// <summary>The one instance; the feature carries no data.</summary>
    public static readonly TriggerAuthenticationFailure InvalidCredentials = new();

    private TriggerAuthenticationFailure()
    {
    }
}
