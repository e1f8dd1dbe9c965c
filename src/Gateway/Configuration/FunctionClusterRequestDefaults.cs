using Yarp.ReverseProxy.Forwarder;

namespace FcGateway.Configuration;

/// <summary>
/// The forwarding settings a function cluster gets unless it sets them itself (<c>ReverseProxy:Clusters:{id}:HttpRequest</c>).
/// YARP stops a forwarded request that makes no progress for <see cref="ForwarderRequestConfig.ActivityTimeout"/>, 100
/// seconds by default: a web function that computes for two minutes before answering, or a WebSocket or event stream
/// quiet for that long, would be cut well inside a longer function <c>Timeout</c>, which is what bounds a web invocation.
/// A cluster without its own <c>ActivityTimeout</c> therefore gets the longest a timer takes, leaving the function
/// <c>Timeout</c> as the one bound; one the cluster sets is kept.
/// </summary>
internal static class FunctionClusterRequestDefaults
{
    /// <summary>int.MaxValue milliseconds, the longest a timer accepts and the longest function <c>Timeout</c>.</summary>
    public static readonly TimeSpan ActivityTimeout = TimeSpan.FromMilliseconds(int.MaxValue);

    public static ForwarderRequestConfig Apply(ForwarderRequestConfig? configured) =>
        configured?.ActivityTimeout is not null ? configured : (configured ?? ForwarderRequestConfig.Empty) with { ActivityTimeout = ActivityTimeout };
}
