using System.Runtime.CompilerServices;
using Yarp.ReverseProxy.Model;

namespace FcGateway.Dispatch.Push;

/// <summary>The control paths of one worker instance, built once per destination configuration.</summary>
internal sealed class WorkerEndpoint
{
    private static readonly ConditionalWeakTable<DestinationModel, WorkerEndpoint> Cache = [];

    private WorkerEndpoint(string address)
    {
        var baseAddress = address.EndsWith('/') ? address[..^1] : address;
        Address = address;
        InvokeUri = new Uri(baseAddress + "/invoke");
        InitializeUri = new Uri(baseAddress + "/initialize");
        PreStopUri = new Uri(baseAddress + "/pre-stop");
    }

    public string Address { get; }

    public Uri InvokeUri { get; }

    public Uri InitializeUri { get; }

    public Uri PreStopUri { get; }

    public static WorkerEndpoint For(DestinationModel destination) =>
        Cache.GetValue(destination, static model => new WorkerEndpoint(model.Config.Address));
}
