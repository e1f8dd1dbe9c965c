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

    /// <remarks>
    /// Before, the late invocation was posted to the function's shared address, where no poll is taken any more, and
    /// waited there for its whole Timeout.
    /// </remarks>
    [Fact]
    public async Task AnInvocationUnderSettingsBeforeAnEditGaveItsFunctionACommand_GetsARetiredAddress()
    {
        var settings = new GatewaySettingsMonitor(Configuration("fc"));
        var directory = new RuntimeApiDirectory().Following(settings);
        var late = new FunctionTarget("f", settings.Current, new ClusterState("f"));
        var launched = new Dictionary<string, string?> { ["Gateway:Functions:f:RuntimeApi"] = "fc", ["Gateway:Functions:f:Command"] = "/bin/sleep" };
        settings.Apply(GatewaySettingsReader.Read(new ConfigurationBuilder().AddInMemoryCollection(launched).Build().GetSection(GatewaySettingsReader.SectionName), out _));
        Assert.NotNull(settings.Current.GetFunction("f").Launch);

        var given = directory.MailboxFor(late);

        Assert.NotSame(directory.MailboxOf("f"), given);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => given.NextAsync(CancellationToken.None));
    }

    /// <remarks>The router reads a function's name from the path as a span: a known one costs no string.</remarks>
    [Fact]
    public void FunctionNamed_AFunctionWithAnAddress_IsTheStringItsAddressIsKeptUnder()
    {
        var directory = new RuntimeApiDirectory();
        var name = new string("orders");
        directory.MailboxOf(name);

        Assert.Same(name, directory.FunctionNamed("/functions/orders/".AsSpan(11, 6)));
    }

    [Theory]
    [InlineData("Orders")]
    [InlineData("order")]
    [InlineData("unknown")]
    public void FunctionNamed_NoAddressOfThatExactName_IsANewString(string path)
    {
        var directory = new RuntimeApiDirectory();
        directory.MailboxOf("orders");

        var named = directory.FunctionNamed(path.AsSpan());

        Assert.Equal(path, named);
        Assert.NotSame(path, named);
    }

    [Fact]
    public void InstanceNamed_ALaunchedInstance_IsTheStringsItsAddressIsKeptUnder()
    {
        var directory = new RuntimeApiDirectory();
        var (function, instance) = (new string("orders"), new string("i-1"));
        directory.AddInstance(function, instance);

        var named = directory.InstanceNamed("orders".AsSpan(), "i-1".AsSpan());

        Assert.Same(function, named.Function);
        Assert.Same(instance, named.Instance);
        Assert.NotNull(directory.InstanceMailbox(named.Function, named.Instance));
    }

    [Theory]
    [InlineData("Orders", "i-1")]
    [InlineData("orders", "I-1")]
    [InlineData("orders", "i-2")]
    [InlineData("orders-i", "1")]
    public void InstanceNamed_NoInstanceOfThoseExactNames_IsNewStringsWithNoAddress(string function, string instance)
    {
        var directory = new RuntimeApiDirectory();
        directory.AddInstance("orders", "i-1");

        var named = directory.InstanceNamed(function.AsSpan(), instance.AsSpan());

        Assert.Equal((function, instance), named);
        Assert.NotSame(function, named.Function);
        Assert.Null(directory.InstanceMailbox(named.Function, named.Instance));
    }

    private static IConfiguration Configuration(string runtimeApi) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["Gateway:Functions:f:RuntimeApi"] = runtimeApi })
        .Build();
}
