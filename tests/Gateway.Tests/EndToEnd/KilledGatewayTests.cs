using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// A gateway killed outright (SIGKILL, an OOM kill, a crash) cannot stop the instances it launched. On Linux each gets
/// SIGTERM from the kernel when the gateway dies (<c>setpriv --pdeathsig TERM</c>), so even one that retries its runtime
/// API for ever ends. One built on the C# SDK is also told the gateway launched it (<c>FCGATEWAY_LAUNCHED=1</c>), so it
/// ends itself once its runtime API refuses the connection, rather than polling for ever as an orphan.
/// </summary>
public sealed partial class KilledGatewayTests
{
    /// <summary>Generous: the bound is the failure condition only, not a measure of how soon the instance exits.</summary>
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AGatewayKilledOutright_ItsLaunchedCSharpInstance_Ends()
    {
        var settings = LaunchedSampleSettings.HttpEcho();
        await KillTheGatewayAndSeeItsInstanceEndAsync(settings, async gateway =>
        {
            using var client = new HttpClient { BaseAddress = new Uri(gateway.Url), Timeout = TimeSpan.FromSeconds(60) };
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/pulled/", new StringContent("hi"))).StatusCode);
            Assert.Contains("Samples.dll", await File.ReadAllTextAsync($"/proc/{InstanceProcessId(gateway)}/cmdline"), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task AGatewayKilledOutright_ItsLaunchedInstanceThatRetriesForEver_GetsSigterm()
    {
        // Like fc-runtime-go-sdk: polls its runtime API for the next invocation again and again, whatever the answer or
        // the error, with no pause; bash's /dev/tcp, so that no child of its own is left behind.
        const string RetriesForEver = """
            address=${FC_RUNTIME_API%%/*}; prefix=/${FC_RUNTIME_API#*/}
            echo polling
            while :; do
              { printf 'GET %s/2020-11-11/runtime/invocation/next HTTP/1.1\r\nHost: %s\r\n\r\n' "$prefix" "$address" >&3; read -r status <&3; } 3<>"/dev/tcp/${address%:*}/${address##*:}" 2>/dev/null
            done
            """;
        var settings = LaunchedSampleSettings.Of(new { RuntimeApi = "fc", Command = "bash", Arguments = new[] { "-c", RetriesForEver }, MinInstances = 1 });
        await KillTheGatewayAndSeeItsInstanceEndAsync(settings, gateway =>
            Eventually.HoldsAsync(() => gateway.Output.Any(line => line.Contains("stdout: polling", StringComparison.Ordinal)), ExitBound));
    }

    /// <summary>
    /// Starts the gateway, has <paramref name="runAnInstance"/> get its one instance running, kills the gateway outright
    /// and waits for that instance to end; one still running at the end is killed, so that the test leaves none behind.
    /// </summary>
    private static async Task KillTheGatewayAndSeeItsInstanceEndAsync(Dictionary<string, object> settings, Func<GatewayProcess, Task> runAnInstance)
    {
        int? instance = null;
        try
        {
            using (var gateway = await GatewayProcess.StartAsync(settings, "--urls", "http://127.0.0.1:0"))
            {
                await runAnInstance(gateway);
                instance = InstanceProcessId(gateway);

                gateway.SendSignal("KILL");
                await gateway.WaitForExitAsync();
            }

            await Eventually.HoldsAsync(() => HasEnded(instance.Value), ExitBound);
        }
        finally
        {
            if (instance is { } left && !HasEnded(left))
            {
                using var process = System.Diagnostics.Process.GetProcessById(left);
                process.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>The process the gateway logged it started for the function's one instance.</summary>
    private static int InstanceProcessId(GatewayProcess gateway)
    {
        var started = Assert.Single(gateway.Output, line => StartedLine().IsMatch(line));
        return int.Parse(StartedLine().Match(started).Groups["pid"].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>Gone, or a zombie not yet reaped by whichever process it was handed to once the gateway died.</summary>
    private static bool HasEnded(int processId)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return true;
        }
    }

    [GeneratedRegex(@"Started instance \S+ of function 'pulled': process (?<pid>\d+),")]
    private static partial Regex StartedLine();
}
