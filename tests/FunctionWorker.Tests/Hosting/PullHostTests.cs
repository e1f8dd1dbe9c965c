using FcWorker.Hosting;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace FcWorker.Tests.Hosting;

/// <summary>A pulling worker's host is built without Kestrel, yet configured as a listening worker's is. Built, never started.</summary>
public sealed class PullHostTests
{
    private const string RuntimeApiArgument = "--FC_RUNTIME_API=127.0.0.1:1";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Create_Pulling_HasNeitherKestrelNorItsTransport(bool pulling)
    {
        await using var host = Create(pulling);
        var services = host.Application.Services;

        Assert.Equal(pulling, services.GetRequiredService<IServer>() is NoListenerServer);
        Assert.Equal(pulling, services.GetService<IConnectionListenerFactory>() is null);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Create_EitherMode_LogsToConsoleWithTheWorkerDefaults(bool pulling)
    {
        await using var host = Create(pulling);
        var services = host.Application.Services;

        Assert.Contains(services.GetServices<ILoggerProvider>(), p => p is ConsoleLoggerProvider);
        var formatter = services.GetRequiredService<IOptionsMonitor<SimpleConsoleFormatterOptions>>().CurrentValue;
        Assert.True(formatter.IncludeScopes);
        Assert.True(formatter.SingleLine);
        Assert.Equal(
            ActivityTrackingOptions.SpanId | ActivityTrackingOptions.TraceId | ActivityTrackingOptions.ParentId,
            services.GetRequiredService<IOptions<LoggerFactoryOptions>>().Value.ActivityTrackingOptions);
        var aspNetCore = services.GetRequiredService<ILoggerFactory>().CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics");
        Assert.False(aspNetCore.IsEnabled(LogLevel.Information));
        Assert.True(aspNetCore.IsEnabled(LogLevel.Warning));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Create_EitherMode_HonoursLogLevelArgument(bool pulling)
    {
        await using var host = Create(pulling, "--Logging:LogLevel:Tests.Category=Error");

        var logger = host.Application.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Tests.Category");

        Assert.False(logger.IsEnabled(LogLevel.Warning));
        Assert.True(logger.IsEnabled(LogLevel.Error));
    }

    [Fact]
    public async Task Create_Pulling_ConfigureBuilderSeesTheConfigurationAndOverridesIt()
    {
        string? seen = null;
        await using var host = FunctionWorker.Create([RuntimeApiArgument, "--Probe=argument"], () => "", new FunctionWorkerOptions
        {
            ConfigureBuilder = builder =>
            {
                seen = $"{builder.Configuration["FC_RUNTIME_API"]} {builder.Configuration["Probe"]} {builder.Configuration["Logging:Console:FormatterOptions:SingleLine"]}";
                builder.Configuration.AddInMemoryCollection([KeyValuePair.Create("Probe", (string?)"ConfigureBuilder")]);
                builder.Services.AddSingleton(new Probe());
            },
        });

        Assert.Equal("127.0.0.1:1 argument true", seen);
        Assert.Equal("ConfigureBuilder", host.Application.Configuration["Probe"]);
        Assert.NotNull(host.Application.Services.GetService<Probe>());
    }

    [Fact]
    public async Task Create_Pulling_ReadsTheEnvironmentsAppSettingsBeneathTheCommandLine()
    {
        var environment = "PullHostTest" + Guid.NewGuid().ToString("N");
        var file = Path.Combine(AppContext.BaseDirectory, $"appsettings.{environment}.json");
        await File.WriteAllTextAsync(file, """{ "FromFile": "file", "Overridden": "file" }""");
        try
        {
            await using var host = FunctionWorker.Create([RuntimeApiArgument, $"--environment={environment}", "--Overridden=argument"], () => "");

            Assert.Equal(environment, host.Application.Environment.EnvironmentName);
            Assert.Equal("file", host.Application.Configuration["FromFile"]);
            Assert.Equal("argument", host.Application.Configuration["Overridden"]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Create_ConfigureBuilderClearsRuntimeApi_ThrowsNamingTheWayToListen()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => FunctionWorker.Create([RuntimeApiArgument], () => "", new FunctionWorkerOptions
        {
            ConfigureBuilder = builder => builder.Configuration.AddInMemoryCollection([KeyValuePair.Create("FC_RUNTIME_API", (string?)"")]),
        }));

        Assert.Contains("--FC_RUNTIME_API=", exception.Message, StringComparison.Ordinal);
    }

    private static FunctionWorkerHost Create(bool pulling, params string[] args) =>
        FunctionWorker.Create(pulling ? [RuntimeApiArgument, .. args] : ["--urls", "http://127.0.0.1:0", "--FC_RUNTIME_API=", .. args], () => "");

    private sealed class Probe;
}
