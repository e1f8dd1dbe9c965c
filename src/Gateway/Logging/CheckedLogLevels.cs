using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FcGateway;

/// <summary>
/// ASP.NET Core's reading of the <c>Logging</c> section into log filters, done again when the gateway accepts an edit
/// (<see cref="AcceptedLogLevels"/>), and held back while a level there is no level (<see cref="LogLevelProblems"/>):
/// the levels last read stay in force instead of an exception. The gateway reports such a level at start-up with the
/// other problems, and rejects an edit that holds one; the hold-back covers a later save, not judged yet, that the
/// reading of an accepted edit meets.
/// </summary>
internal sealed class CheckedLogLevels(IConfigureOptions<LoggerFilterOptions> aspNetCore, IConfigurationSection logging) : IConfigureOptions<LoggerFilterOptions>
{
    private IReadOnlyList<LoggerFilterRule> _lastRead = [];

    /// <summary>
    /// Puts this in place of ASP.NET Core's reading of <paramref name="logging"/>, when <paramref name="services"/> has it,
    /// read again when the gateway accepts an edit (<see cref="AcceptedLogLevels"/>) rather than when the file changes.
    /// </summary>
    public static void Replace(IServiceCollection services, IConfigurationSection logging)
    {
        var reading = services.FirstOrDefault(service => service.ServiceType == typeof(IConfigureOptions<LoggerFilterOptions>)
            && service.ImplementationInstance?.GetType().Name == "LoggerFilterConfigureOptions");
        if (reading?.ImplementationInstance is IConfigureOptions<LoggerFilterOptions> aspNetCore)
        {
            services[services.IndexOf(reading)] = ServiceDescriptor.Singleton<IConfigureOptions<LoggerFilterOptions>>(new CheckedLogLevels(aspNetCore, logging));
        }

        services.RemoveAll<IOptionsChangeTokenSource<LoggerFilterOptions>>();
        services.AddSingleton<AcceptedLogLevels>();
        services.AddSingleton<IOptionsChangeTokenSource<LoggerFilterOptions>>(provider => provider.GetRequiredService<AcceptedLogLevels>());
    }

    public void Configure(LoggerFilterOptions options)
    {
        if (LogLevelProblems.Find(logging).Count > 0)
        {
            foreach (var rule in _lastRead)
            {
                options.Rules.Add(rule);
            }

            return;
        }

        var before = options.Rules.Count;
        aspNetCore.Configure(options);
        _lastRead = options.Rules.Skip(before).ToList();
    }
}
