using System.Net;
using System.Net.Sockets;
using FcGateway.Dispatch;

namespace Gateway.Tests.Dispatch;

/// <summary>What the log says when a call to a worker fails below HTTP, for the exceptions <see cref="HttpClient"/> throws.</summary>
public sealed class WorkerConnectionFailureTests
{
    private const string Address = "http://127.0.0.1:9001";

    public static TheoryData<Exception, string> Failures => new()
    {
        { Connect(SocketError.ConnectionRefused), "Could not connect to the worker at http://127.0.0.1:9001 (connection refused)." },
        { Connect(SocketError.HostUnreachable), "Could not connect to the worker at http://127.0.0.1:9001 (host unreachable)." },
        { Connect(SocketError.TimedOut), "Could not connect to the worker at http://127.0.0.1:9001 (connection timed out)." },
        {
            new HttpRequestException(HttpRequestError.NameResolutionError, "Name or service not known (worker:9001)", new SocketException((int)SocketError.HostNotFound)),
            "Could not connect to the worker at http://127.0.0.1:9001 (host name not found)."
        },
        {
            new IOException("Unable to read data from the transport connection.", new SocketException((int)SocketError.ConnectionReset)),
            "The worker at http://127.0.0.1:9001 closed the connection before completing its reply (connection reset); it may have crashed."
        },
        {
            new HttpRequestException(HttpRequestError.ResponseEnded, "An error occurred while sending the request.", new HttpIOException(HttpRequestError.ResponseEnded, "The response ended prematurely.")),
            "The worker at http://127.0.0.1:9001 closed the connection before completing its reply (connection closed); it may have crashed."
        },
        {
            new HttpRequestException(HttpRequestError.InvalidResponse, "Received an invalid status line: 'garbage'."),
            "The call to the worker at http://127.0.0.1:9001 failed (not a valid HTTP response)."
        },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Describe_NamesTheWorkerAndTheCause(Exception failure, string expected)
    {
        Assert.Equal(expected, WorkerConnectionFailure.Describe(failure, Address));
    }

    [Theory]
    [InlineData(HttpRequestError.HttpProtocolError, "HTTP protocol error")]
    [InlineData(HttpRequestError.InvalidResponse, "not a valid HTTP response")]
    [InlineData(HttpRequestError.Unknown, "Broken pipe")]
    public void Describe_ACallForHttp2WithoutTls_ThatFailedOnceConnected_NamesTheClustersProtocol(HttpRequestError error, string cause)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Address + "/invoke")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        var failure = new HttpRequestException(error, "Broken pipe", new IOException("Broken pipe"));

        Assert.Equal(
            $"The call to the worker at {Address} failed ({cause}: the cluster's HttpRequest asks for HTTP/2 without TLS, which the worker does not seem to speak).",
            WorkerConnectionFailure.Describe(failure, Address, request));
    }

    [Fact]
    public void Describe_ACallForHttp2WithoutTls_ThatCouldNotConnect_SaysNothingOfTheProtocol()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Address + "/invoke")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        Assert.Equal(
            $"Could not connect to the worker at {Address} (connection refused).",
            WorkerConnectionFailure.Describe(Connect(SocketError.ConnectionRefused), Address, request));
    }

    /// <summary>
    /// A worker on an HTTP/1.1-only endpoint of Kestrel answers HTTP/2's preface with GOAWAY <c>HTTP_1_1_REQUIRED</c>; when that
    /// ends the new connection before it carries the call, HttpClient fails the call with this bare exception (no category, no
    /// inner exception) rather than a protocol error, and the log still names the cluster's protocol as the likely cause.
    /// </summary>
    [Fact]
    public void Http2ConnectionEndedBeforeTheCall_OnAClusterAskingForHttp2WithoutTls_NamesTheClustersProtocol()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Address + "/invoke")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        var failure = new HttpRequestException("An HTTP/2 connection could not be established because the server did not complete the HTTP/2 handshake.");

        Assert.Equal(
            "The call to the worker at http://127.0.0.1:9001 failed (HTTP/2 connection not established: the cluster's HttpRequest asks for HTTP/2 without TLS, which the worker does not seem to speak).",
            WorkerConnectionFailure.Describe(failure, Address, request));
    }

    [Theory]
    [InlineData(HttpRequestError.InvalidResponse, false, true)]
    [InlineData(HttpRequestError.ConfigurationLimitExceeded, false, true)]
    [InlineData(HttpRequestError.InvalidResponse, true, false)]
    [InlineData(HttpRequestError.ResponseEnded, false, false)]
    [InlineData(HttpRequestError.ConnectionError, false, false)]
    public void AMalformedReply_IsAReplyHeadHttpClientCannotRead_ButNotOverCleartextHttp2(HttpRequestError error, bool cleartextHttp2, bool malformed)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Address + "/invoke");
        if (cleartextHttp2)
        {
            request.Version = HttpVersion.Version20;
            request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }

        Assert.Equal(malformed, WorkerConnectionFailure.IsMalformedReply(new HttpRequestException(error, "failed"), request));
    }

    private static HttpRequestException Connect(SocketError error) =>
        new(HttpRequestError.ConnectionError, "The connection failed.", new SocketException((int)error));
}
