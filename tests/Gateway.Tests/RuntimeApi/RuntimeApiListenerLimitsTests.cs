using FcGateway.RuntimeApi;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Gateway.Tests.RuntimeApi;

/// <summary>Kestrel's limits on the runtime API's listener, set for what runtime clients send.</summary>
public sealed class RuntimeApiListenerLimitsTests
{
    [Fact]
    public void AReplyMayComeAtTheFunctionsOwnPace_ItsDeadlineBoundsIt()
    {
        var limits = new KestrelServerLimits();

        RuntimeApiListenerLimits.Apply(limits);

        Assert.Null(limits.MinRequestBodyDataRate);
    }

    [Fact]
    public void ARuntimesConnection_IdleWhileItsFunctionRuns_IsNeverClosedForIdling()
    {
        var limits = new KestrelServerLimits();

        RuntimeApiListenerLimits.Apply(limits);

        Assert.Equal(TimeSpan.MaxValue, limits.KeepAliveTimeout); // how Kestrel holds an infinite timeout
    }
}
