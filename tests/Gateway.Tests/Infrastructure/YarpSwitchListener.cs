using Yarp.ReverseProxy.Configuration;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// Runs <see cref="OnLoaded"/>, once, when YARP has loaded an edit's routes and not yet switched to them, and
/// <see cref="OnApplied"/>, once, when YARP serves them, before the gateway's own listener hears it (a test's
/// listener is added before the gateway's).
/// </summary>
internal sealed class YarpSwitchListener : IConfigChangeListener
{
    public Action? OnLoaded { get; set; }

    public Action? OnApplied { get; set; }

    public void ConfigurationLoaded(IReadOnlyList<IProxyConfig> proxyConfigs)
    {
        var onLoaded = OnLoaded;
        OnLoaded = null;
        onLoaded?.Invoke();
    }

    public void ConfigurationApplied(IReadOnlyList<IProxyConfig> proxyConfigs)
    {
        var onApplied = OnApplied;
        OnApplied = null;
        onApplied?.Invoke();
    }

    public void ConfigurationLoadingFailed(IProxyConfigProvider configProvider, Exception exception)
    {
    }

    public void ConfigurationApplyingFailed(IReadOnlyList<IProxyConfig> proxyConfigs, Exception exception)
    {
    }
}
