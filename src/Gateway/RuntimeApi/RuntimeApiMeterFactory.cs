using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace FcGateway.RuntimeApi;

/// <summary>
/// The meters of the runtime API's own server (ASP.NET Core's and Kestrel's), under names of their own: meters are
/// process-wide and observed by name, so with the usual names every worker's poll — a request held open until an
/// invocation comes — would count in the gateway's <c>http.server.request.duration</c> and Kestrel's connection metrics.
/// Whoever wants them adds the meters <c>FcGateway.RuntimeApi.Microsoft.AspNetCore.Hosting</c> and
/// <c>FcGateway.RuntimeApi.Microsoft.AspNetCore.Server.Kestrel</c>.
/// </summary>
internal sealed class RuntimeApiMeterFactory : IMeterFactory
{
    public const string MeterPrefix = "FcGateway.RuntimeApi.";

    private readonly ConcurrentQueue<Meter> _meters = new();

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(new MeterOptions(MeterPrefix + options.Name) { Version = options.Version, Tags = options.Tags, Scope = this });
        _meters.Enqueue(meter);
        return meter;
    }

    public void Dispose()
    {
        while (_meters.TryDequeue(out var meter))
        {
            meter.Dispose();
        }
    }
}
