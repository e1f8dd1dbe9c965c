using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.EndToEnd;

public sealed class LifecycleTests
{
    [Fact]
    public async Task Sigterm_FinishesInFlightInvocations_RefusesNewConnections_AndExitsZero()
    {
        var release = new TaskCompletionSource();
        await using var worker = await TestWorker.StartAsync(async (context, _) =>
        {
            await release.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await TestWorker.Reply(context, 200, "finished", "200");
        });
        using var gateway = await GatewayProcess.StartAsync(worker.Url);
        using var client = new HttpClient { BaseAddress = new Uri(gateway.Url) };

        var inFlight = client.GetAsync("/echo/");
        await Eventually.HoldsAsync(() => !worker.Received.IsEmpty);
        gateway.SendSigterm();
        await Eventually.HoldsAsync(async () => !await gateway.AcceptsConnectionsAsync());
        release.SetResult();

        var response = await inFlight;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("finished", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await gateway.WaitForExitAsync());
    }

    [Fact]
    public async Task Reload_WhileAnInvocationIsInFlight_DoesNotFailIt()
    {
        var release = new TaskCompletionSource();
        await using var worker = await TestWorker.StartAsync(async (context, _) =>
        {
            await release.Task;
            await TestWorker.Reply(context, 200, "finished", "200");
        });
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        var configuration = (IConfigurationRoot)gateway.Services.GetRequiredService<IConfiguration>();

        var inFlight = gateway.Client.GetAsync("/echo/");
        await Eventually.HoldsAsync(() => !worker.Received.IsEmpty);
        configuration["ReverseProxy:Routes:echo:Match:Path"] = "/moved/{**rest}";
        configuration["Gateway:Functions:echo:Timeout"] = "00:00:20";
        configuration.Reload();
        await Eventually.HoldsAsync(async () => (await gateway.Client.GetAsync("/echo/")).StatusCode == HttpStatusCode.NotFound);
        configuration["Gateway:Functions:echo:MemorySize"] = "not a number";
        configuration.Reload();
        release.SetResult();

        var response = await inFlight;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("finished", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client.GetAsync("/moved/")).StatusCode);
    }

    /// <summary>The published gateway as its own process, so the test can send it SIGTERM.</summary>
    private sealed class GatewayProcess : IDisposable
    {
        private readonly Process _process;
        private readonly string _contentRoot;

        private GatewayProcess(Process process, string contentRoot, string url)
        {
            _process = process;
            _contentRoot = contentRoot;
            Url = url;
        }

        public string Url { get; }

        public static async Task<GatewayProcess> StartAsync(string workerUrl)
        {
            var contentRoot = Directory.CreateTempSubdirectory("gateway-").FullName;
            var settings = new Dictionary<string, object>
            {
                ["Gateway"] = new { DrainTimeout = "00:00:20" },
                ["ReverseProxy"] = new
                {
                    Routes = new { echo = new { ClusterId = "echo", Match = new { Path = "/echo/{**rest}" }, Metadata = new { FunctionName = "echo" } } },
                    Clusters = new { echo = new { Destinations = new { one = new { Address = workerUrl } } } },
                },
            };
            await File.WriteAllTextAsync(Path.Combine(contentRoot, "appsettings.json"), JsonSerializer.Serialize(settings));
            var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "FcGateway.dll"), "--contentRoot", contentRoot, "--urls", "http://127.0.0.1:0"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            var process = Process.Start(start)!;
            var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            process.OutputDataReceived += (_, line) =>
            {
                const string marker = "Now listening on: ";
                if (line.Data?.IndexOf(marker, StringComparison.Ordinal) is int at and >= 0)
                {
                    listening.TrySetResult(line.Data[(at + marker.Length)..].Trim());
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var url = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
            return new GatewayProcess(process, contentRoot, url);
        }

        public void SendSigterm() => Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();

        public async Task<bool> AcceptsConnectionsAsync()
        {
            using var probe = new System.Net.Sockets.TcpClient();
            try
            {
                var uri = new Uri(Url);
                await probe.ConnectAsync(uri.Host, uri.Port);
                return true;
            }
            catch (System.Net.Sockets.SocketException)
            {
                return false;
            }
        }

        public async Task<int> WaitForExitAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await _process.WaitForExitAsync(timeout.Token);
            return _process.ExitCode;
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }

            _process.Dispose();
            Directory.Delete(_contentRoot, recursive: true);
        }
    }
}
