using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Diagnostics;

/// <summary>
/// YARP's session-affinity cookies are protected by ASP.NET Core Data Protection, whose key ring is made at the first
/// start: its "No XML encryptor configured" warning, on every fresh machine and container, is not written by default.
/// </summary>
public sealed class DataProtectionLogTests : IDisposable
{
    private const string NoEncryptorWarning = "No XML encryptor configured";
    private readonly DirectoryInfo _keys = Directory.CreateTempSubdirectory("fcgateway-keys-");

    [Fact]
    public async Task AFirstStart_WithNoKeyYet_WritesNoDataProtectionWarning()
    {
        await using var gateway = await StartWithNoKeyAsync(new GatewayConfiguration().WithFunction("echo", "http://127.0.0.1:9/"));

        await Eventually.HoldsAsync(() => _keys.GetFiles("key-*.xml").Length == 1);
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains(NoEncryptorWarning, StringComparison.Ordinal));
    }

    /// <summary>The hold is a default: a level the configuration gives Data Protection's categories is the one in force.</summary>
    [Fact]
    public async Task ALevelConfiguredForDataProtection_WritesItsWarning()
    {
        await using var gateway = await StartWithNoKeyAsync(new GatewayConfiguration().WithFunction("echo", "http://127.0.0.1:9/").Set("Logging:LogLevel:Microsoft.AspNetCore.DataProtection", "Warning"));

        await Eventually.HoldsAsync(() => gateway.Logs.Contains(NoEncryptorWarning));
    }

    public void Dispose() => _keys.Delete(recursive: true);

    private Task<TestGateway> StartWithNoKeyAsync(GatewayConfiguration configuration) =>
        TestGateway.StartAsync(configuration.Values, builder => builder.Services.AddDataProtection().PersistKeysToFileSystem(_keys));
}
