using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// The built gateway as its own process, running until the test stops it: for behaviour that is about the process
/// (signals, what it reads from its environment and working directory). Its appsettings.json is written to a fresh
/// folder, which is the content root and the working directory.
/// </summary>
public sealed class GatewayProcess : IDisposable
{
    private const string ListeningMarker = "Now listening on: ";

    private readonly Process _process;
    private readonly string _contentRoot;
    private readonly ConcurrentQueue<string> _output;

    private GatewayProcess(Process process, string contentRoot, string url, ConcurrentQueue<string> output)
    {
        _process = process;
        _contentRoot = contentRoot;
        _output = output;
        Url = url;
    }

    /// <summary>The first address the clients' listener announced.</summary>
    public string Url { get; }

    /// <summary>What the process wrote to stdout and stderr so far.</summary>
    public IReadOnlyCollection<string> Output => _output;

    /// <param name="settings">The content of appsettings.json.</param>
    /// <param name="arguments">Arguments after <c>--contentRoot</c>.</param>
    public static Task<GatewayProcess> StartAsync(object settings, params string[] arguments) =>
        StartAsync(settings, new Dictionary<string, object>(), arguments);

    /// <param name="settings">The content of appsettings.json.</param>
    /// <param name="runtimeProperties">
    /// .NET's run-time settings to add to the gateway's own <c>runtimeconfig.json</c> (<c>System.Threading.ThreadPool.MaxThreads</c>, …).
    /// </param>
    /// <param name="arguments">Arguments after <c>--contentRoot</c>.</param>
    public static Task<GatewayProcess> StartAsync(object settings, IReadOnlyDictionary<string, object> runtimeProperties, params string[] arguments) =>
        StartAsync(settings, runtimeProperties, new Dictionary<string, string>(), arguments);

    /// <param name="settings">The content of appsettings.json.</param>
    /// <param name="runtimeProperties">.NET's run-time settings to add to the gateway's own <c>runtimeconfig.json</c>.</param>
    /// <param name="environment">Variables to set in the gateway's environment, over the test run's.</param>
    /// <param name="arguments">Arguments after <c>--contentRoot</c>.</param>
    public static async Task<GatewayProcess> StartAsync(
        object settings, IReadOnlyDictionary<string, object> runtimeProperties, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var contentRoot = Directory.CreateTempSubdirectory("gateway-").FullName;
        await File.WriteAllTextAsync(Path.Combine(contentRoot, "appsettings.json"), JsonSerializer.Serialize(settings));
        var runtimeConfig = await WriteRuntimeConfigAsync(contentRoot, runtimeProperties);

        // Through env, which resets SIGHUP to its default before it runs dotnet in its own place (the same process): a test
        // run started with SIGHUP ignored (nohup) would otherwise start a gateway that ignores it too, as it should.
        var start = new ProcessStartInfo(
            "env",
            ["--default-signal=HUP", "dotnet", "exec", "--runtimeconfig", runtimeConfig, Path.Combine(AppContext.BaseDirectory, "FcGateway.dll"), "--contentRoot", contentRoot, .. arguments])
        {
            WorkingDirectory = contentRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start)!;
        var output = new ConcurrentQueue<string>();
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is not { } text)
            {
                return;
            }

            output.Enqueue(text);
            if (text.IndexOf(ListeningMarker, StringComparison.Ordinal) is var at and >= 0)
            {
                listening.TrySetResult(text[(at + ListeningMarker.Length)..].Trim());
            }
        };
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is { } text)
            {
                output.Enqueue(text);
            }
        };
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"The gateway exited before it listened:\n{string.Join('\n', output)}"));
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var url = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
            return new GatewayProcess(process, contentRoot, url, output);
        }
        catch
        {
            Stop(process);
            process.Dispose();
            Directory.Delete(contentRoot, recursive: true);
            throw;
        }
    }

    /// <summary>The gateway's own runtimeconfig.json with <paramref name="properties"/> added, written into <paramref name="folder"/>.</summary>
    private static async Task<string> WriteRuntimeConfigAsync(string folder, IReadOnlyDictionary<string, object> properties)
    {
        var config = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "FcGateway.runtimeconfig.json")))!;
        var own = config["runtimeOptions"]!["configProperties"]!.AsObject();
        foreach (var (name, value) in properties)
        {
            own[name] = JsonSerializer.SerializeToNode(value);
        }

        var path = Path.Combine(folder, "FcGateway.runtimeconfig.json");
        await File.WriteAllTextAsync(path, config.ToJsonString());
        return path;
    }

    /// <summary>Replaces the gateway's appsettings.json with <paramref name="settings"/>, which it reloads as it watches the file.</summary>
    public Task WriteSettingsAsync(object settings) =>
        File.WriteAllTextAsync(Path.Combine(_contentRoot, "appsettings.json"), JsonSerializer.Serialize(settings));

    /// <summary>Sends the signal named (<c>TERM</c>, <c>HUP</c>, …) to the gateway's process alone.</summary>
    public void SendSignal(string name) => Process.Start("kill", [$"-{name}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();

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
        Stop(_process);
        _process.Dispose();
        Directory.Delete(_contentRoot, recursive: true);
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit();
        }
    }
}
