using FcGateway.Configuration;
using FcGateway.Dispatch;
using FcGateway.Dispatch.Pull;
using Microsoft.Extensions.Configuration;
using Yarp.ReverseProxy.Model;

namespace Gateway.Tests.RuntimeApi;

public sealed class RuntimeApiDirectoryTests
{
    /// <remarks>Before, the late invocation retired the address its function pulls from now, ending its workers' polls.</remarks>
    [Fact]
    public void AnInvocationUnderSettingsBeforeAnEditChangedItsRuntimeApi_LeavesTheAddressInForceAlone()
    {
        var settings = new GatewaySettingsMonitor(Configuration("fc"));
        var directory = new RuntimeApiDirectory().Following(settings);
        var late = new FunctionTarget("f", settings.Current, new ClusterState("f"));
        settings.Apply(GatewaySettingsReader.Read(Configuration("lambda").GetSection(GatewaySettingsReader.SectionName), out _));
        var inForce = directory.MailboxOf("f");

        var given = directory.MailboxFor(late);

        Assert.NotSame(inForce, given);
        Assert.Same(inForce, directory.MailboxOf("f"));
        Assert.Same(inForce, directory.MailboxFor(new FunctionTarget("f", settings.Current, new ClusterState("f"))));
    }

    private static IConfiguration Configuration(string runtimeApi) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["Gateway:Functions:f:RuntimeApi"] = runtimeApi })
        .Build();
}
