using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Gateway.Tests.Infrastructure;

/// <summary>A temporary content root for the quick start: an appsettings.json routing each given sample to its cluster at a port.</summary>
public sealed class QuickStartFolder : IDisposable
{
    private QuickStartFolder(string path) => Path = path;

    public string Path { get; }

    /// <param name="samplePorts">Each sample's name and the port of its cluster's one destination.</param>
    public static async Task<QuickStartFolder> CreateAsync(params (string Sample, int Port)[] samplePorts)
    {
        var folder = new QuickStartFolder(Directory.CreateTempSubdirectory("quickstart-").FullName);
        var settings = new
        {
            ReverseProxy = new
            {
                Routes = samplePorts.ToDictionary(
                    s => s.Sample,
                    s => new { ClusterId = s.Sample, Match = new { Path = $"/{s.Sample}/{{**rest}}" }, Metadata = new { FunctionName = s.Sample } }),
                Clusters = samplePorts.ToDictionary(
                    s => s.Sample,
                    s => new { Destinations = new { instance1 = new { Address = $"http://127.0.0.1:{s.Port}" } } }),
            },
        };
        await File.WriteAllTextAsync(System.IO.Path.Combine(folder.Path, "appsettings.json"), JsonSerializer.Serialize(settings));
        return folder;
    }

    /// <summary>A port nothing listens on now, for a test about a fixed configured port.</summary>
    public static int FreePort()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
