using System.Globalization;
using FcGateway.Buffers;
using FcGateway.Configuration;
using FcGateway.Dispatch.Pull;
using FcGateway.Dispatch.Push;
using FcGateway.RuntimeApi;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.RuntimeApi;

/// <summary>
/// Every pulled invocation has a deadline of its own. Its header is written without HeaderNumbers' cache, which keeps
/// each value for the gateway's life: through it a gateway's memory grew with every invocation a worker pulled.
/// </summary>
public sealed class RuntimeApiWireDeadlineTests
{
    [Fact]
    public void DeadlinesOfManyInvocations_AreWritten_WithoutBeingKept()
    {
        var function = FunctionSettings.Default;
        var gateway = new GatewaySettings { Functions = new Dictionary<string, FunctionSettings> { ["f"] = function } };
        RuntimeApiWire[] wires = [new FcRuntimeApiWire(), new LambdaRuntimeApiWire()];
        var start = DateTimeOffset.UnixEpoch + TimeSpan.FromDays(20_000);
        var keptBefore = HeaderNumbers.Count;

        for (var i = 0; i < 1000; i++)
        {
            using var output = new PooledBuffer();
            var deadline = start + TimeSpan.FromMilliseconds(i);
            var invocation = new PulledInvocation(
                $"1-00000000-{i:D24}", "f", function, gateway, new BufferPayload(ReadOnlyMemory<byte>.Empty), output, deadline);
            foreach (var wire in wires)
            {
                var headers = new HeaderDictionary();
                wire.WriteInvocationHeaders(headers, invocation);
                Assert.Contains(deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), headers.Values.Select(value => value.ToString()));
            }
        }

        // Other tests running alongside may add a few numbers of their configurations; the deadlines would add 2,000.
        Assert.InRange(HeaderNumbers.Count - keptBefore, 0, 100);
    }
}
