using System.Diagnostics;
using System.Text;
using FcGateway.Configuration;
using FcGateway.Http;

namespace FcGateway.Launch;

/// <summary>
/// How an instance process is started: the resolved command with its arguments, no shell, stdin closed, stdout and
/// stderr read as UTF-8. Its environment is the gateway's, without the variables that configure the gateway and with
/// <c>PWD</c> its working directory, then the function's <c>Environment</c>, then the caller's variables (<c>FC_RUNTIME_API</c>, <c>FC_INSTANCE_ID</c>…), later
/// ones winning.
/// </summary>
internal static class FunctionProcessStartInfo
{
    // Gateway__… and ReverseProxy__… may hold the gateway's secrets (bearer tokens, credentials, JWT keys); ASPNETCORE_…
    // (ASPNETCORE_URLS above all) would make an ASP.NET Core function try to listen where the gateway listens. Inline socket
    // completions, chosen for the gateway (InlineSocketCompletions), would run a .NET function's code on the threads that
    // poll its sockets.
    private static readonly string[] GatewayOnlyPrefixes = ["Gateway__", "ReverseProxy__", "ASPNETCORE_"];

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static ProcessStartInfo Create(FunctionLaunchSettings settings, IReadOnlyDictionary<string, string> variables)
    {
        var info = new ProcessStartInfo(settings.Command)
        {
            UseShellExecute = false,
            WorkingDirectory = settings.WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Utf8,
            StandardErrorEncoding = Utf8,
        };
        foreach (var argument in settings.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        RemoveGatewaySettings(info.Environment);

        // Shells keep the working directory in PWD, and programs that read it (Python's and Node's among them) would
        // otherwise find the gateway's.
        info.Environment["PWD"] = Path.GetFullPath(settings.WorkingDirectory);
        foreach (var (name, value) in settings.Environment.Concat(variables))
        {
            info.Environment[name] = value;
        }

        return info;
    }

    /// <summary>Removes the variables that configure the gateway itself; configuration keys ignore case, so these do too.</summary>
    public static void RemoveGatewaySettings(IDictionary<string, string?> environment)
    {
        foreach (var name in environment.Keys.Where(IsGatewaySetting).ToList())
        {
            environment.Remove(name);
        }
    }

    private static bool IsGatewaySetting(string name) =>
        GatewayOnlyPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        || name == InlineSocketCompletions.VariableName;
}
