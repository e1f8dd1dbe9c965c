using Yarp.ReverseProxy.Configuration;

namespace FcGateway.Configuration;

/// <summary>
/// Turns the <c>ReverseProxy</c> section into YARP's routes and clusters as YARP's own configuration provider reads them
/// (a provider of YARP's, made for one reading and disposed), so that the section can be judged together with the
/// <c>Gateway</c> section before either is applied. A value that does not convert (<c>Interval: "xx"</c>) is a problem
/// named by its key path (<see cref="ReverseProxyKeys"/>), instead of YARP's exception with its stack trace, and so is a key
/// YARP would ignore.
/// </summary>
internal static class ReverseProxySection
{
    public const string Name = "ReverseProxy";

    /// <summary>
    /// The routes and clusters of <paramref name="section"/>; null when some value does not convert. Every key YARP
    /// would ignore or refuse (<see cref="ReverseProxyKeys"/>) is added to <paramref name="problems"/> by its key path,
    /// whether or not the rest converts, so that they are reported beside the problems of the converted routes.
    /// </summary>
    public static (IReadOnlyList<RouteConfig> Routes, IReadOnlyList<ClusterConfig> Clusters)? Read(IConfigurationSection section, List<string> problems)
    {
        var keyProblems = new List<string>();
        ReverseProxyKeys.ReverseProxy.Check(section, new SettingsErrors(keyProblems));
        problems.AddRange(keyProblems);
        try
        {
            var config = Convert(section);
            return (config.Routes, config.Clusters);
        }
        catch (Exception ex) when (IsConversionFailure(ex))
        {
            // The key check names each value YARP refuses; YARP's own words are the backstop for one it missed.
            if (keyProblems.Count == 0)
            {
                problems.AddRange(FindUnconvertible(section, ex));
            }

            return null;
        }
    }

    private static IProxyConfig Convert(IConfiguration section)
    {
        using var services = new ServiceCollection().AddLogging().AddReverseProxy().LoadFromConfig(section).Services.BuildServiceProvider();
        return services.GetRequiredService<IProxyConfigProvider>().GetConfig();
    }

    /// <summary>Each route and cluster whose values do not convert, read alone; the whole section's failure when none does alone.</summary>
    private static List<string> FindUnconvertible(IConfigurationSection section, Exception whole)
    {
        var found = new List<string>();
        foreach (var kind in (string[])["Routes", "Clusters"])
        {
            foreach (var entry in section.GetSection(kind).GetChildren())
            {
                var alone = new ConfigurationBuilder()
                    .AddInMemoryCollection(entry.AsEnumerable().Select(pair => KeyValuePair.Create(pair.Key[(section.Path.Length + 1)..], pair.Value)))
                    .Build();
                try
                {
                    Convert(alone);
                }
                catch (Exception ex) when (IsConversionFailure(ex))
                {
                    found.Add($"{entry.Path}: {MessageOf(ex)}");
                }
            }
        }

        return found.Count > 0 ? found : [$"{section.Path}: {MessageOf(whole)}"];
    }

    private static bool IsConversionFailure(Exception exception) => exception is InvalidOperationException or FormatException or ArgumentException or OverflowException;

    private static string MessageOf(Exception exception) =>
        exception.InnerException is { } inner ? $"{exception.Message} {inner.Message}" : exception.Message;
}
