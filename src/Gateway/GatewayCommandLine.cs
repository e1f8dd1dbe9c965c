using System.Reflection;

namespace FcGateway;

/// <summary>The gateway's own command-line switches, <c>--help</c> and <c>--version</c>, answered without starting it.</summary>
internal static class GatewayCommandLine
{
    /// <summary>The gateway's informational version (the assembly version when none is set).</summary>
    public static string Version { get; } =
        typeof(GatewayCommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(GatewayCommandLine).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <summary>
    /// Writes the help or the version to <paramref name="output"/> when <paramref name="args"/> asks for one; true when it
    /// did, and the gateway should exit without starting. Any argument is checked, so <c>--help --urls x</c> still helps.
    /// </summary>
    public static bool TryAnswer(string[] args, TextWriter output)
    {
        if (args.Any(arg => arg is "--help" or "-h" or "-?"))
        {
            output.Write(Help);
            return true;
        }

        if (args.Contains("--version"))
        {
            output.WriteLine($"FcGateway {Version}");
            return true;
        }

        return false;
    }

    private static string Help => $"""
        FcGateway {Version}: Function Compute HTTP triggers in front of function workers.

        Usage: FcGateway [options] [--Key=value ...]

          --urls <urls>            Addresses to listen on, e.g. http://0.0.0.0:8080 (default: Urls in appsettings.json;
                                   with none, http://localhost:5000).
          --contentRoot <folder>   Folder holding appsettings.json (default: the current folder; the repository root
                                   under dotnet run --project src/Gateway).
          --environment <name>     Also reads appsettings.<name>.json.
          --Key=value              Any configuration key, e.g. --Gateway:Region=eu-1 (see docs/gateway.md).
          -h, --help               Print this help and exit.
          --version                Print the version and exit.

        """;
}
