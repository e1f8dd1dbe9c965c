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
    /// The routes and clusters of <paramref name="section"/>. Every key YARP would ignore or refuse
    /// (<see cref="ReverseProxyKeys"/>) is added to <paramref name="problems"/> by its key path, whether or not the rest
    /// converts, so that they are reported beside the problems of the converted routes. When some value does not
    /// convert, the reading is not <see cref="ReverseProxyReading.Complete"/> and must not be applied, but it can still
    /// be judged: each route and cluster is read alone, and one that does not convert stands as read without the values
    /// YARP refuses (their problems are listed already; a cluster that does not convert even so, as its id alone), so
    /// that every route's and destination's own problems are listed in the same run. Null when a route does not convert
    /// even so (a value the key check does not know YARP refuses).
    /// </summary>
    public static ReverseProxyReading? Read(IConfigurationSection section, List<string> problems)
    {
        var keyProblems = new List<string>();
        var refused = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        ReverseProxyKeys.ReverseProxy.Check(section, new SettingsErrors(keyProblems), refused);
        problems.AddRange(keyProblems);
        try
        {
            var config = Convert(section);
            return new(config.Routes, config.Clusters, Complete: true);
        }
        catch (Exception ex) when (IsConversionFailure(ex))
        {
            var (reading, unconvertible) = ReadEachAlone(section, ex, refused);

            // The key check names each value YARP refuses; YARP's own words are the backstop for one it missed.
            if (keyProblems.Count == 0)
            {
                problems.AddRange(unconvertible);
            }

            return reading;
        }
    }

    private static IProxyConfig Convert(IConfiguration section)
    {
        using var services = new ServiceCollection().AddLogging().AddReverseProxy().LoadFromConfig(section).Services.BuildServiceProvider();
        return services.GetRequiredService<IProxyConfigProvider>().GetConfig();
    }

    /// <summary>
    /// Each route and cluster read alone: what converts, and each that does not with YARP's reason (the whole section's
    /// failure when none fails alone). A route or cluster that does not convert is read again without the values of
    /// <paramref name="refused"/>.
    /// </summary>
    private static (ReverseProxyReading? Reading, List<string> Unconvertible) ReadEachAlone(IConfigurationSection section, Exception whole, ISet<string> refused)
    {
        var routes = new List<RouteConfig>();
        var clusters = new List<ClusterConfig>();
        var unconvertible = new List<string>();
        var aRouteFailed = false;
        foreach (var kind in (string[])["Routes", "Clusters"])
        {
            foreach (var entry in section.GetSection(kind).GetChildren())
            {
                try
                {
                    var config = Convert(Alone(section, entry, _ => false));
                    routes.AddRange(config.Routes);
                    clusters.AddRange(config.Clusters);
                }
                catch (Exception ex) when (IsConversionFailure(ex))
                {
                    unconvertible.Add($"{entry.Path}: {MessageOf(ex)}");
                    if (kind == "Clusters")
                    {
                        clusters.Add(TryConvert(Alone(section, entry, refused.Contains)) is { Clusters: [var withoutRefused] }
                            ? withoutRefused
                            : new ClusterConfig { ClusterId = entry.Key });
                    }
                    else if (TryConvert(Alone(section, entry, refused.Contains)) is { } withoutRefused)
                    {
                        routes.AddRange(withoutRefused.Routes);
                    }
                    else
                    {
                        aRouteFailed = true;
                    }
                }
            }
        }

        if (unconvertible.Count == 0)
        {
            return (null, [$"{section.Path}: {MessageOf(whole)}"]);
        }

        return (aRouteFailed ? null : new ReverseProxyReading(routes, clusters, Complete: false), unconvertible);
    }

    /// <summary>The section with <paramref name="entry"/> alone in it, leaving out each value whose key path is <paramref name="leftOut"/>.</summary>
    private static IConfiguration Alone(IConfigurationSection section, IConfigurationSection entry, Func<string, bool> leftOut) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(entry.AsEnumerable()
                .Where(pair => !leftOut(pair.Key))
                .Select(pair => KeyValuePair.Create(pair.Key[(section.Path.Length + 1)..], pair.Value)))
            .Build();

    private static IProxyConfig? TryConvert(IConfiguration section)
    {
        try
        {
            return Convert(section);
        }
        catch (Exception ex) when (IsConversionFailure(ex))
        {
            return null;
        }
    }

    private static bool IsConversionFailure(Exception exception) => exception is InvalidOperationException or FormatException or ArgumentException or OverflowException;

    private static string MessageOf(Exception exception) =>
        exception.InnerException is { } inner ? $"{exception.Message} {inner.Message}" : exception.Message;
}

/// <summary>The routes and clusters of the <c>ReverseProxy</c> section; only a complete reading may be applied.</summary>
internal sealed record ReverseProxyReading(IReadOnlyList<RouteConfig> Routes, IReadOnlyList<ClusterConfig> Clusters, bool Complete);
