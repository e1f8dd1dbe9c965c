namespace FcGateway;

/// <summary>
/// The command-line arguments .NET's configuration would drop without a word — a word that is no <c>--Key</c>, a
/// <c>--Key</c> with no value after it, a <c>-Key</c> with one dash — or stop start-up on with a stack trace
/// (<c>-Key=value</c>): each would leave a setting the user meant to give at its default.
/// </summary>
internal static class GatewayArguments
{
    /// <exception cref="GatewayStartupException">An argument would not be read; the message names every such argument.</exception>
    public static void ThrowIfIgnored(string[] args)
    {
        var ignored = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            var dashes = arg.StartsWith("--", StringComparison.Ordinal) || arg.StartsWith('/') ? 2 : arg.StartsWith('-') ? 1 : 0;
            var hasValue = arg.Contains('=', StringComparison.Ordinal);
            if (dashes == 1)
            {
                ignored.Add($"'{arg}' (one dash: write --{arg[1..]})");
            }
            else if (dashes == 0 && !hasValue)
            {
                ignored.Add($"'{arg}' (not a setting: write --Key=value or --Key value)");
            }
            else if (dashes == 2 && !hasValue && ++i == args.Length)
            {
                ignored.Add($"'{arg}' (no value follows it)");
            }
        }

        if (ignored.Count > 0)
        {
            throw new GatewayStartupException($"Command-line arguments the gateway would not read: {string.Join(", ", ignored)}. See --help.");
        }
    }
}
