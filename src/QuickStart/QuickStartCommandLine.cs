using FcWorker.Samples;

namespace FcQuickStart;

/// <summary>The quick start's <c>--help</c>; every other argument is the gateway's.</summary>
internal static class QuickStartCommandLine
{
    /// <summary>Writes the help to <paramref name="output"/> when <paramref name="args"/> asks for it; true when it did, and the quick start should exit.</summary>
    public static bool TryAnswer(string[] args, TextWriter output)
    {
        if (!args.Any(arg => arg is "--help" or "-h" or "-?"))
        {
            return false;
        }

        output.Write(Help);
        return true;
    }

    private static string Help => $"""
        The quick start: the FC gateway with the sample functions behind it, in one process.

        Usage: dotnet run --project src/QuickStart [-- options]

        The gateway is configured by appsettings.json in the current folder (the repository root for dotnet run).
        Each sample listens at the destination of the cluster named after it, where the gateway calls it. To move a
        sample, change that Address and the gateway follows: in appsettings.json, ReverseProxy > Clusters > http-echo >
        Destinations > instance1 > Address, or for one run
        --ReverseProxy:Clusters:http-echo:Destinations:instance1:Address=http://127.0.0.1:9104
        Samples take their ports at start: after such an edit of a running quick start, restart it.
        A sample without a cluster is not started. Samples: {string.Join(", ", SampleFunctions.All.Select(s => s.Name))}.

          --urls <urls>            The gateway's addresses (appsettings.json: http://127.0.0.1:8080).
          --contentRoot <folder>   Folder holding appsettings.json.
          --Key=value              Any configuration key (see docs/gateway.md).
          -h, --help               Print this help and exit.

        """;
}
