using System.Globalization;
using Microsoft.Diagnostics.Tracing;

// AllocationReport TRACE REQUESTS [TOP]: the runtime samples one allocation per ~100 KB allocated (GCAllocationTick,
// with the type and the amount since the last sample), so the sums by type are estimates, good to a few percent over
// tens of megabytes.
if (args.Length < 2 || !double.TryParse(args[1], CultureInfo.InvariantCulture, out var requests) || requests <= 0)
{
    Console.Error.WriteLine("usage: AllocationReport TRACE.nettrace REQUESTS [TOP]");
    return 2;
}

var top = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 15;
var bytesByType = new Dictionary<string, long>();
using (var source = new EventPipeEventSource(args[0]))
{
    source.Clr.GCAllocationTick += sample =>
    {
        var type = sample.TypeName ?? "?";
        bytesByType[type] = bytesByType.GetValueOrDefault(type) + sample.AllocationAmount64;
    };
    source.Process();
}

var total = bytesByType.Values.Sum();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{total / requests,8:F0} B per request in all ({total / 1e6:F1} MB sampled over {requests:F0} requests)"));
foreach (var (type, bytes) in bytesByType.OrderByDescending(entry => entry.Value).Take(top))
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{bytes / requests,8:F0} B  {type}"));
}

return 0;
