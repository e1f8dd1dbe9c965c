using FcWorker.Hosting;
using Microsoft.Extensions.Configuration;

namespace FcWorker.Tests.Hosting;

public sealed class WorkerSettingsTests
{
    [Fact]
    public void Resolve_NoConfiguration_ListensOnPort9000WithOneSlot()
    {
        var settings = WorkerSettings.Resolve(Configuration(), new FunctionWorkerOptions());

        Assert.Equal(new WorkerSettings(1, "http://0.0.0.0:9000", null), settings);
    }

    [Fact]
    public void Resolve_ServerPortAndConcurrency_OverrideDefaults()
    {
        var settings = WorkerSettings.Resolve(
            Configuration(("FC_SERVER_PORT", "8080"), ("FC_INSTANCE_CONCURRENCY", "4")), new FunctionWorkerOptions { MaxConcurrentInvocations = 2 });

        Assert.Equal(new WorkerSettings(4, "http://0.0.0.0:8080", null), settings);
    }

    [Fact]
    public void Resolve_UrlsGiven_IgnoresServerPort()
    {
        var settings = WorkerSettings.Resolve(Configuration(("urls", "http://127.0.0.1:5000"), ("FC_SERVER_PORT", "8080")), new FunctionWorkerOptions());

        Assert.Null(settings.DefaultUrl);
    }

    [Fact]
    public void Resolve_InvalidValues_ReportsEveryError()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => WorkerSettings.Resolve(
            Configuration(("FC_SERVER_PORT", "70000"), ("FC_INSTANCE_CONCURRENCY", "0"), ("FC_RUNTIME_API", "http://127.0.0.1:9000")),
            new FunctionWorkerOptions()));

        Assert.Contains("FC_SERVER_PORT", exception.Message, StringComparison.Ordinal);
        Assert.Contains("FC_INSTANCE_CONCURRENCY", exception.Message, StringComparison.Ordinal);
        Assert.Contains("FC_RUNTIME_API", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:9000", "http://127.0.0.1:9000/2020-11-11/runtime/invocation/")]
    [InlineData("localhost:9000/", "http://localhost:9000/2020-11-11/runtime/invocation/")]
    [InlineData("127.0.0.1:9000/functions/echo", "http://127.0.0.1:9000/functions/echo/2020-11-11/runtime/invocation/")]
    [InlineData("127.0.0.1:9000/functions/echo/instances/2/", "http://127.0.0.1:9000/functions/echo/instances/2/2020-11-11/runtime/invocation/")]
    [InlineData("[::1]:9000/p", "http://[::1]:9000/p/2020-11-11/runtime/invocation/")]
    public void Resolve_RuntimeApi_PullsFromItsInvocationPathAndListensNowhere(string value, string expected)
    {
        var settings = WorkerSettings.Resolve(Configuration(("FC_RUNTIME_API", value), ("FC_SERVER_PORT", "8080")), new FunctionWorkerOptions());

        Assert.Equal(new WorkerSettings(1, null, new Uri(expected)), settings);
    }

    [Theory]
    [InlineData("h2c", true)]
    [InlineData("H2C", true)]
    [InlineData("http/1.1", false)]
    [InlineData("", false)]
    public void Resolve_RuntimeApiProtocol_SaysWhetherToPollOverHttp2(string value, bool overHttp2)
    {
        var settings = WorkerSettings.Resolve(
            Configuration(("FC_RUNTIME_API", "127.0.0.1:9000"), ("FCGATEWAY_RUNTIME_API_PROTOCOL", value)), new FunctionWorkerOptions());

        Assert.Equal(overHttp2, settings.RuntimeApiOverHttp2);
    }

    [Fact]
    public void Resolve_RuntimeApiProtocolUnknown_IsAnError()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => WorkerSettings.Resolve(
            Configuration(("FC_RUNTIME_API", "127.0.0.1:9000"), ("FCGATEWAY_RUNTIME_API_PROTOCOL", "h3")), new FunctionWorkerOptions()));

        Assert.Contains("FCGATEWAY_RUNTIME_API_PROTOCOL must be h2c or http/1.1; it is 'h3'.", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:9000")]
    [InlineData("127.0.0.1:9000/p?x=1")]
    [InlineData("user@127.0.0.1:9000")]
    [InlineData(":9000")]
    public void Resolve_RuntimeApiNotAnAddress_ThrowsWithTheExpectedShape(string value)
    {
        var exception = Assert.Throws<InvalidOperationException>(() =>
            WorkerSettings.Resolve(Configuration(("FC_RUNTIME_API", value)), new FunctionWorkerOptions()));

        Assert.Contains($"FC_RUNTIME_API must be host:port or host:port/path-prefix, without a scheme (e.g. 127.0.0.1:9000 or 127.0.0.1:9000/functions/echo); it is '{value}'.", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_MaxConcurrentInvocationsBelowOne_ThrowsArgumentException()
    {
        var exception = Assert.Throws<ArgumentException>(() =>
            FunctionWorker.Create([], () => "", new FunctionWorkerOptions { MaxConcurrentInvocations = 0 }));

        Assert.Contains("MaxConcurrentInvocations", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Url_BeforeStart_ThrowsInvalidOperationException()
    {
        var host = FunctionWorker.Create(["--urls", "http://127.0.0.1:0"], () => "");

        Assert.Throws<InvalidOperationException>(() => host.Url);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();
}
