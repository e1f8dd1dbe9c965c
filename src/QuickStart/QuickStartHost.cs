using FcGateway;
using FcWorker.Samples;

namespace FcQuickStart;

/// <summary>The gateway configured by appsettings.json and, behind it, the samples its clusters lead to, in this process.</summary>
internal sealed class QuickStartHost : IAsyncDisposable
{
    private QuickStartHost(WebApplication gateway, SampleHost samples)
    {
        Gateway = gateway;
        Samples = samples;
    }

    /// <summary>The running gateway.</summary>
    public WebApplication Gateway { get; }

    /// <summary>The running samples, each at its cluster's destination (<see cref="SampleAddresses"/>).</summary>
    public SampleHost Samples { get; }

    /// <summary>
    /// Builds the gateway (its configuration checked before anything listens), starts each sample where the gateway's
    /// configuration sends its requests, then starts the gateway. On a failure nothing is left running.
    /// </summary>
    /// <param name="args">The gateway's command-line arguments.</param>
    /// <param name="configure">Adjusts the gateway's builder, as <see cref="GatewayHost.BuildAsync"/>.</param>
    /// <exception cref="SampleAddressInUseException">A sample's port is taken.</exception>
    public static async Task<QuickStartHost> StartAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var gateway = await GatewayHost.BuildAsync(args, configure);
        SampleHost? samples = null;
        try
        {
            samples = await SampleHost.StartAsync(SampleAddresses.Read(gateway.Configuration));
            await gateway.StartAsync();
            return new QuickStartHost(gateway, samples);
        }
        catch
        {
            await gateway.DisposeAsync();
            if (samples is not null)
            {
                await samples.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>Stops the gateway, letting in-flight requests finish, then the samples.</summary>
    /// <returns>A task that completes when everything has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await Gateway.StopAsync();
        await Gateway.DisposeAsync();
        await Samples.DisposeAsync();
    }
}
