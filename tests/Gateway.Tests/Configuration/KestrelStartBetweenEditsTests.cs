using FcGateway;
using FcGateway.Configuration;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Configuration;

/// <summary>
/// The gateway wraps whatever server the host registered — by type, by factory or as an instance — so that no edit is
/// copied to Kestrel's section while it starts, and records what it bound; a host without a server is left as it is.
/// </summary>
public sealed class KestrelStartBetweenEditsTests
{
    private static readonly IConfiguration Configuration = new ConfigurationBuilder().AddInMemoryCollection([]).Build();

    public static TheoryData<string> Registrations => ["type", "factory", "instance"];

    [Theory]
    [MemberData(nameof(Registrations))]
    public async Task TheRegisteredServer_StartsThroughTheWrapper_WhichRecordsItsAddresses(string registration)
    {
        var services = new ServiceCollection().AddSingleton(Configuration);
        _ = registration switch
        {
            "type" => services.AddSingleton<IServer, RecordingServer>(),
            "factory" => services.AddSingleton<IServer>(_ => new RecordingServer()),
            _ => services.AddSingleton<IServer>(new RecordingServer()),
        };
        services.AddFcGateway(Configuration);
        await using var provider = services.BuildServiceProvider();

        var server = provider.GetRequiredService<IServer>();
        await server.StartAsync(new NoApplication(), CancellationToken.None);

        Assert.IsType<KestrelStartBetweenEdits>(server);
        Assert.Equal(["http://127.0.0.1:5123"], provider.GetRequiredService<BoundStartupUrls>().Bound);
    }

    [Fact]
    public void AHostWithoutAServer_IsLeftWithout()
    {
        var services = new ServiceCollection().AddSingleton(Configuration);

        services.AddFcGateway(Configuration);

        Assert.DoesNotContain(services, service => service.ServiceType == typeof(IServer));
    }

    private sealed class RecordingServer : IServer
    {
        private readonly ServerAddressesFeature _addresses = new();

        public RecordingServer() => Features.Set<IServerAddressesFeature>(_addresses);

        public IFeatureCollection Features { get; } = new FeatureCollection();

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
            where TContext : notnull
        {
            _addresses.Addresses.Add("http://127.0.0.1:5123");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
        }
    }

    private sealed class NoApplication : IHttpApplication<object>
    {
        public object CreateContext(IFeatureCollection contextFeatures) => new();

        public Task ProcessRequestAsync(object context) => Task.CompletedTask;

        public void DisposeContext(object context, Exception? exception)
        {
        }
    }
}
