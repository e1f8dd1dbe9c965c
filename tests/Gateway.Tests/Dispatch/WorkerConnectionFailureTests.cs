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

    private static HttpRequestException Connect(SocketError error) =>
        new(HttpRequestError.ConnectionError, "The connection failed.", new SocketException((int)error));
}
