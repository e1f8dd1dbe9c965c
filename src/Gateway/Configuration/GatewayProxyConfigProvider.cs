using FcGateway.Configuration.Triggers;
using FcGateway.Diagnostics;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Configuration;

namespace FcGateway.Configuration;

/// <summary>
/// YARP's routes and clusters, and the <c>Gateway</c> settings, from one reading of the configuration, so that an edit
/// of <c>appsettings.json</c> is taken or refused whole. On each change both sections are read and judged together
/// (<see cref="ConfigurationProblems"/>); any problem refuses the edit, logged with every problem, and nothing changes.
/// An accepted edit is handed to YARP, and its settings are put in force around YARP's switch to the new routes:
/// before it, the settings in force, which go with the routes still served, with the trigger and function settings of
/// the routes the edit adds beside them, so that no route is ever served without its trigger's authentication or with
/// the default function settings (an added route finds its trigger and function in force, a removed one keeps its own
/// until it is gone), nor with the trigger the edit gives a route that replaces it; a request YARP routes to a route of
/// the edit before reporting it applied takes the edit's settings (<see cref="SwitchingEdit"/>); once YARP has applied
/// the routes, the new settings alone. Should YARP still refuse them, the previous settings come back. Edits are taken
/// one at a time: the configuration is read for the next only once YARP has reported the last one applied (or refused)
/// and its settings are in force, so that one edit at most is switching, and each is judged beside, and switched from,
/// the routes YARP serves and the settings that go with them. A second edit read in between would otherwise replace the
/// first before it was taken: the routes the first changes, which YARP serves, would go with the settings before it
/// until the second was applied. Waiting is the simplest way to keep that from happening: YARP reports every
/// configuration it reads from this provider applied, refused, or not loaded (<see cref="ConfigurationLoadingFailed"/>),
/// and reads the next only once signalled, so the wait ends with YARP's report (of the edit's own snapshot, or of the one
/// YARP made of it through a host's destination resolver, known by its routes list), and an edit saved meanwhile is read
/// then, as it stands. A change that
/// leaves both sections as they are in force (a file watcher signalling one save twice, an edit of another section)
/// applies and logs nothing (<see cref="AppliedSections"/>). The log levels of the <c>Logging</c> section follow an
/// accepted edit (<see cref="AcceptedLogLevels"/>), and so do Kestrel's endpoints (<see cref="AcceptedKestrelSection"/>).
/// </summary>
internal sealed partial class GatewayProxyConfigProvider : IProxyConfigProvider, IConfigChangeListener, IDisposable
{
    private readonly IConfiguration _configuration;
    private readonly GatewaySettingsMonitor _settings;
    private readonly IConfigValidator _yarpValidator;
    private readonly ILogger<GatewayProxyConfigProvider> _logger;
    private readonly AcceptedLogLevels _logLevels;
    private readonly AcceptedKestrelSection _kestrel;
    private readonly SemaphoreSlim _reloading = new(1, 1);
    private readonly StartupOnlySettings _startupOnly;
    private readonly GatewayListeners _listeners;

    /// <summary>The settings the gateway started with: the runtime API's listener runs with them until a restart.</summary>
    private readonly GatewaySettings _startup;

    private readonly IDisposable _subscription;
    private Snapshot _current;
    private AppliedSections _inForce;
    private Edit? _applying;

    /// <summary>The problems of the last edit rejected since one was put in force: a second signal of it logs them once.</summary>
    private string? _lastRejection;

    /// <summary>The start-up settings an edit last named as waiting for a restart (<see cref="LogWaitingForARestart"/>).</summary>
    private string _waitingNamed = "";

    public GatewayProxyConfigProvider(
        IConfiguration configuration,
        GatewaySettingsMonitor settings,
        IConfigValidator yarpValidator,
        AcceptedLogLevels logLevels,
        AcceptedKestrelSection kestrel,
        GatewayListeners listeners,
        ILogger<GatewayProxyConfigProvider> logger)
    {
        _listeners = listeners;
        _configuration = configuration;
        _logLevels = logLevels;
        _kestrel = kestrel;
        _settings = settings;
        _yarpValidator = yarpValidator;
        _logger = logger;
        _startup = settings.Current;
        _startupOnly = new StartupOnlySettings(settings.Current, configuration);
        var problems = new List<string>();
        StartupReading = ReverseProxySection.Read(configuration.GetSection(ReverseProxySection.Name), problems);
        _current = StartupReading is { Complete: true } reading ? new Snapshot(reading.Routes, reading.Clusters) : new Snapshot([], []);
        StartupProblems = problems;
        _inForce = AppliedSections.Of(configuration);
        _subscription = ChangeToken.OnChange(configuration.GetReloadToken, () => _ = ReloadAsync());
    }

    /// <summary>What is wrong with the <c>ReverseProxy</c> section read at start-up (keys, values that do not convert); start-up fails unless this is empty.</summary>
    public IReadOnlyList<string> StartupProblems { get; }

    /// <summary>
    /// The routes and clusters read at start-up, to be judged with the <c>Gateway</c> section; null when they cannot be
    /// (a route does not convert). Applied only when complete.
    /// </summary>
    public ReverseProxyReading? StartupReading { get; }

    public IProxyConfig GetConfig() => Volatile.Read(ref _current);

    public void ConfigurationApplied(IReadOnlyList<IProxyConfig> proxyConfigs)
    {
        if (TakeApplying(proxyConfigs) is { } edit)
        {
            try
            {
                _settings.Apply(edit.Settings);
                Log.Reloaded(_logger);
                LogWaitingForARestart(edit.WaitingForARestart, evenIfLoggedBefore: true);
            }
            finally
            {
                edit.Reported.SetResult();
            }
        }
    }

    /// <summary>
    /// Names the start-up settings an edit changed; an unchanged edit (a second signal of one save) names them only when
    /// they are not those last named.
    /// </summary>
    private void LogWaitingForARestart(IReadOnlyList<string> keys, bool evenIfLoggedBefore = false)
    {
        var named = string.Join(", ", keys);
        if (Interlocked.Exchange(ref _waitingNamed, named) != named || evenIfLoggedBefore)
        {
            if (keys.Count > 0)
            {
                Log.WaitsForARestart(_logger, named);
            }
        }
    }

    public void ConfigurationApplyingFailed(IReadOnlyList<IProxyConfig> proxyConfigs, Exception exception)
    {
        if (TakeApplying(proxyConfigs) is { } edit)
        {
            Refuse(edit, exception);
        }
    }

    public void ConfigurationLoaded(IReadOnlyList<IProxyConfig> proxyConfigs)
    {
    }

    /// <summary>
    /// YARP could not load the configuration it read from this provider (a destination resolver failed): it keeps the
    /// routes it serves, reports nothing else of this reading, and reads again only when it next polls, minutes later.
    /// The edit is refused, so that the next is taken, and the routes YARP serves are what it will read then: were it to
    /// read the refused edit's routes, it would serve them with the settings before the edit. A failed load of what this
    /// provider gave before the edit (YARP polling as the edit is read) refuses nothing: YARP reads the edit next.
    /// </summary>
    public void ConfigurationLoadingFailed(IProxyConfigProvider configProvider, Exception exception)
    {
        if (configProvider == this && Volatile.Read(ref _applying) is { } edit && Volatile.Read(ref _current) == edit.Config
            && Interlocked.CompareExchange(ref _applying, null, edit) == edit)
        {
            // A snapshot of its own: the one replaced has signalled its change, and YARP, watching it, would read again at once, and again.
            Volatile.Write(ref _current, new Snapshot(edit.Replaced.Routes, edit.Replaced.Clusters));
            Refuse(edit, exception);
        }
    }

    /// <summary>Puts back the settings before <paramref name="edit"/>, which YARP has not taken, and ends the wait for its report.</summary>
    private void Refuse(Edit edit, Exception exception)
    {
        try
        {
            _settings.Apply(edit.Previous);
            Volatile.Write(ref _inForce, edit.PreviousSections);
            Log.ReloadRejected(_logger, 1, $"ReverseProxy: {exception.Message}");
        }
        finally
        {
            edit.Reported.SetResult();
        }
    }

    public void Dispose()
    {
        // _reloading is left undisposed: a reload still running at shutdown releases it afterwards (or, waiting for a
        // report YARP no longer gives, never runs again), and a SemaphoreSlim whose wait handle is never asked for holds
        // nothing to free.
        _subscription.Dispose();
    }

    /// <summary>
    /// A function that pulls, added by an edit when the runtime API's listener did not start with the gateway: no worker
    /// could reach it, and its invocations would wait for nothing.
    /// </summary>
    private IEnumerable<string> PulledWithoutRuntimeApi(GatewaySettings settings) => _startup.StartsRuntimeApi
        ? []
        : settings.Functions.Where(function => function.Value.RuntimeApi is not null).Select(function =>
            $"{GatewaySettingsReader.SectionName}:Functions:{function.Key}:RuntimeApi: the runtime API's listener starts with the gateway, "
            + "and did not, since no function pulled its invocations then; restart the gateway to serve this function "
            + "(setting Gateway:RuntimeApi:Urls before a start starts the listener whatever pulls).");

    /// <summary>
    /// A function whose workers pull, switched by an edit between FC's runtime API and Lambda's: its workers, launched or
    /// not, poll with the one they were started with, so an invocation a waiting poll took would have its reply refused
    /// and its client wait out the function's Timeout.
    /// </summary>
    private IEnumerable<string> SwitchedRuntimeApi(GatewaySettings settings) => settings.Functions
        .Where(function => function.Value.RuntimeApi is { } edited && _settings.Current.GetFunction(function.Key).RuntimeApi is { } inForce && edited != inForce)
        .Select(function =>
            $"{GatewaySettingsReader.SectionName}:Functions:{function.Key}:RuntimeApi: its workers pull with the "
            + $"{_settings.Current.GetFunction(function.Key).RuntimeApi.ToString()!.ToLowerInvariant()} runtime API, and would have their replies refused "
            + "under the other one; restart the gateway to change it.");

    private async Task ReloadAsync()
    {
        await _reloading.WaitAsync();
        try
        {
            var problems = new List<string>();
            var sections = AppliedSections.Of(_configuration);
            var settings = GatewaySettingsReader.Read(_configuration.GetSection(GatewaySettingsReader.SectionName), out var settingsErrors);
            problems.AddRange(settingsErrors);
            problems.AddRange(PulledWithoutRuntimeApi(settings));
            problems.AddRange(SwitchedRuntimeApi(settings));
            problems.AddRange(LogLevelProblems.Find(_configuration.GetSection(LogLevelProblems.SectionName)));
            problems.AddRange(TopLevelSections.Problems(_configuration));
            problems.AddRange(KestrelEndpointProblems.Find(_configuration));
            var listeners = _listeners.Now();
            problems.AddRange(ClientListenersRemoved.Find(_configuration, listeners));
            problems.AddRange(ListenerCollisions.FindInEdit(_configuration, settings, listeners));
            problems.AddRange(KestrelDefaultCertificateReplaced.Find(_configuration, listeners));
            TelemetrySettingsReader.Read(_configuration, problems);
            var proxy = ReverseProxySection.Read(_configuration.GetSection(ReverseProxySection.Name), problems);
            var warnings = proxy is null ? null : await ConfigurationProblems.FindAsync(proxy.Routes, proxy.Clusters, settings, _yarpValidator, problems);

            if (problems.Count > 0 || proxy is not { Complete: true } converted)
            {
                var rejection = string.Join(Environment.NewLine, problems);
                if (rejection == _lastRejection)
                {
                    Log.RejectedAgain(_logger);
                    return;
                }

                _lastRejection = rejection;
                Log.ReloadRejected(_logger, problems.Count, rejection);
                return;
            }

            _lastRejection = null;

            // Accepted (or the sections it judges unchanged): the Logging section's levels and Kestrel's endpoints go with it.
            _logLevels.Apply();
            await _kestrel.ApplyAsync(_configuration);
            var inForce = Volatile.Read(ref _inForce);
            if (sections.Matches(inForce))
            {
                // An edit of Urls or the telemetry alone changes nothing in force, and still waits for a restart.
                LogWaitingForARestart(_startupOnly.ChangedBy(settings, _configuration));
                Log.Unchanged(_logger);
                return;
            }

            // Said of the configuration put in force, not again by a save that keeps it or an edit rejected.
            warnings?.Log(_logger);
            var previous = _settings.Current;
            var next = new Snapshot(converted.Routes, converted.Clusters);
            var replaced = Volatile.Read(ref _current);
            var edit = new Edit(next, replaced, settings, previous, inForce, _startupOnly.ChangedBy(settings, _configuration));
            Volatile.Write(ref _applying, edit);
            Volatile.Write(ref _inForce, sections);
            _settings.Apply(
                previous with
                {
                    Triggers = AddingTheNew(previous.Triggers, settings.Triggers),
                    Functions = AddingTheNew(previous.Functions, settings.Functions),
                },
                new SwitchingEdit(settings, next.Routes, replaced.Routes));
            Interlocked.Exchange(ref _current, next).SignalChanged();
            await edit.Reported.Task;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A reload runs on its own; an unexpected failure must not end the process, and the configuration stays as it was.
            Log.ReloadRejected(_logger, 1, ex.Message);
        }
        finally
        {
            _reloading.Release();
        }
    }

    /// <summary>The edit YARP has just applied (or refused), once; null for a report of another configuration (YARP's start-up load).</summary>
    private Edit? TakeApplying(IReadOnlyList<IProxyConfig> proxyConfigs)
    {
        var edit = Volatile.Read(ref _applying);
        return edit is not null && edit.Config.IsAmong(proxyConfigs) && Interlocked.CompareExchange(ref _applying, null, edit) == edit ? edit : null;
    }

    /// <summary>
    /// The trigger or function settings in force, <paramref name="inForce"/>, with those of <paramref name="edited"/>
    /// that they lack added. Until YARP has switched, requests are routed with the routes in force: each is served with
    /// its route's trigger and function as they are (a route the edit removes too, never anonymous or with the default
    /// function settings: a pulled function's route, which has no cluster, would otherwise fall through to YARP's bare
    /// 503), not with the edit's, which go with other routes (an edit that narrows a route and makes it anonymous, moving
    /// the rest to a new route that asks for a token, would otherwise serve the rest without one). A route the edit adds
    /// finds its own in force as it goes live.
    /// </summary>
    private static IReadOnlyDictionary<string, T> AddingTheNew<T>(IReadOnlyDictionary<string, T> inForce, IReadOnlyDictionary<string, T> edited)
    {
        if (edited.Keys.All(inForce.ContainsKey))
        {
            return inForce;
        }

        var merged = new Dictionary<string, T>(inForce, (inForce as Dictionary<string, T>)?.Comparer ?? StringComparer.Ordinal);
        foreach (var (key, added) in edited)
        {
            merged.TryAdd(key, added);
        }

        return merged;
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.SettingsReloadRejected, LogLevel.Error, "The changed configuration (ReverseProxy and Gateway) was rejected whole and the previous settings stay in force; {ErrorCount} problem(s):\n{Errors}")]
        public static partial void ReloadRejected(ILogger logger, int errorCount, string errors);

        [LoggerMessage(EventIds.SettingsReloaded, LogLevel.Information, "The changed configuration (ReverseProxy and Gateway) is now in force.")]
        public static partial void Reloaded(ILogger logger);

        [LoggerMessage(EventIds.SettingsUnchanged, LogLevel.Debug, "The changed configuration has the problems of the edit last rejected, logged then: it is rejected again.")]
        public static partial void RejectedAgain(ILogger logger);

        [LoggerMessage(EventIds.SettingsUnchanged, LogLevel.Debug, "The changed configuration's ReverseProxy and Gateway sections equal those in force: nothing to apply.")]
        public static partial void Unchanged(ILogger logger);

        [LoggerMessage(EventIds.SettingsWaitForARestart, LogLevel.Warning, "The changed configuration sets values read only at start-up, which keep their start-up values until the gateway restarts: {Keys}.")]
        public static partial void WaitsForARestart(ILogger logger, string keys);
    }
}
