using System.Net;
using FcGateway.Buffers;
using FcGateway.Configuration;
using FcGateway.Dispatch.Push;
using FcGateway.Dispatch.Push.Http1;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Gateway.Tests.Invocation;

/// <summary>
/// Which invocations the gateway's own HTTP/1.1 client carries: only those HttpClient would send as cleartext HTTP/1.1
/// with nothing set that the client does not do; and what it refuses to write.
/// </summary>
public sealed class WorkerConnectionsCarriesTests
{
    [Fact]
    public void APayloadToACleartextWorker_WithTheClustersDefaults_IsCarried() =>
        Assert.True(WorkerConnections.Carries(Invocation(new ClusterConfig { ClusterId = "c" }), Payload(10)));

    public static TheoryData<string, ClusterConfig> LeftToHttpClient => new()
    {
        { "https://127.0.0.1:9000", new ClusterConfig { ClusterId = "c" } },
        { "http://127.0.0.1:9000", new ClusterConfig { ClusterId = "c", HttpRequest = new ForwarderRequestConfig { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact } } },
        { "http://127.0.0.1:9000", new ClusterConfig { ClusterId = "c", HttpRequest = new ForwarderRequestConfig { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionOrHigher } } },
        { "http://127.0.0.1:9000", new ClusterConfig { ClusterId = "c", HttpRequest = new ForwarderRequestConfig { Version = HttpVersion.Version10 } } },
        { "http://127.0.0.1:9000", new ClusterConfig { ClusterId = "c", HttpClient = new HttpClientConfig { MaxConnectionsPerServer = 2 } } },
        { "http://127.0.0.1:9000", new ClusterConfig { ClusterId = "c", HttpClient = new HttpClientConfig { WebProxy = new WebProxyConfig { Address = new Uri("http://proxy:3128") } } } },
        { "http://127.0.0.1:9000", new ClusterConfig { ClusterId = "c", HttpClient = new HttpClientConfig { RequestHeaderEncoding = "latin1" } } },
        { "http://127.0.0.1:9000", new ClusterConfig { ClusterId = "c", HttpClient = new HttpClientConfig { ResponseHeaderEncoding = "utf-8" } } },
    };

    [Theory]
    [MemberData(nameof(LeftToHttpClient))]
    public void WhatHttpClientWouldDoOtherwise_IsLeftToIt(string address, ClusterConfig cluster) =>
        Assert.False(WorkerConnections.Carries(Invocation(cluster, address), Payload(10)));

    [Fact]
    public void HttpTwoAskedForOrLower_IsHttp11OverCleartext_AndCarried()
    {
        var cluster = new ClusterConfig { ClusterId = "c", HttpRequest = new ForwarderRequestConfig { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower } };

        Assert.True(WorkerConnections.Carries(Invocation(cluster), Payload(10)));
    }

    [Fact]
    public void APayloadLargerThanOneSendTakes_IsLeftToHttpClient()
    {
        var invocation = Invocation(new ClusterConfig { ClusterId = "c" });

        Assert.True(WorkerConnections.Carries(invocation, Payload(WorkerConnections.MaxPayloadBytes)));
        Assert.False(WorkerConnections.Carries(invocation, Payload(WorkerConnections.MaxPayloadBytes + 1)));
    }

    /// <summary>A line end in a setting would start a header of its own: the request is refused, as HttpClient refuses it.</summary>
    [Fact]
    public void ASettingWithALineEnd_IsNotWritten()
    {
        var invocation = Invocation(new ClusterConfig { ClusterId = "c" }) with { Function = FunctionSettings.Default with { Handler = "main.handle\r\nx-injected: 1" } };

        var refused = Assert.Throws<HttpRequestException>(() => InvokeRequest.Write(invocation, activity: null, Payload(2)).Dispose());
        Assert.Contains("x-fc-function-handler", refused.Message, StringComparison.Ordinal);
    }

    private static FunctionInvocation Invocation(ClusterConfig cluster, string address = "http://127.0.0.1:9000") =>
        new(
            "1-00000000-000000000000000000000000",
            "f",
            FunctionSettings.Default,
            new GatewaySettings(),
            new ClusterModel(cluster, new HttpMessageInvoker(new SocketsHttpHandler())),
            new DestinationState("d0", new DestinationModel(new DestinationConfig { Address = address })));

    private static BufferPayload Payload(int length) => new(new byte[length]);
}
