using System.Net;
using System.Net.Sockets;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.QuickStart;

/// <summary>What the quick start's process prints and returns.</summary>
public sealed class QuickStartProgramTests
{
    [Fact]
    public async Task SamplePortInUse_PrintsOneLineNamingTheSamplePortAndCluster_AndExits1()
    {
        var occupied = new TcpListener(IPAddress.Loopback, 0);
        occupied.Start();
        try
        {
            var port = ((IPEndPoint)occupied.LocalEndpoint).Port;
            using var folder = await QuickStartFolder.CreateAsync(("http-echo", port));

            var result = await GatewayCommand.RunQuickStartAsync("--contentRoot", folder.Path, "--urls", "http://127.0.0.1:0");

            Assert.Equal(1, result.ExitCode);
            var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith($"sample http-echo could not listen on 127.0.0.1:{port}: address already in use.", line, StringComparison.Ordinal);
            Assert.Contains("change the Address of cluster 'http-echo' in appsettings.json", line, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.Output + result.Error, StringComparison.Ordinal);
        }
        finally
        {
            occupied.Stop();
        }
    }
}
