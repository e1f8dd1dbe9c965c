using FcGateway;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Logging;

public sealed class GatewayLoggerFactoryTests
{
    private const string KestrelHttp2 = "Microsoft.AspNetCore.Server.Kestrel.Http2";

    /// <remarks>
    /// Kestrel logs its abort of an HTTP/2 connection whose client queued more output than it reads at Critical, once
    /// per stream still queued: a client resetting streams as fast as it opens them (rapid reset, `HEADERS` and
    /// `RST_STREAM` pairs) wrote a hundred Critical lines with one connection.
    /// </remarks>
    [Fact]
    public void KestrelsHttp2OutputQueueAbort_ACriticalLineAClientCausesAtWill_IsLoggedAtDebug()
    {
        var (factory, logs) = Create(LogLevel.Debug);

        Write(factory.CreateLogger(KestrelHttp2), 60, "Connection id \"0HN\" exceeded the output operations maximum queue size.",
            new ConnectionAbortedException("HTTP/2 connection exceeded the output operations maximum queue size."));

        var line = Assert.Single(logs.Lines);
        Assert.StartsWith($"Debug {KestrelHttp2}:", line, StringComparison.Ordinal);
    }

    /// <remarks>
    /// A client uploading to a web function slower than its Timeout left YARP's read of the body pending when the gateway
    /// answered: Kestrel logged its failed drain at Error with the stack trace, and closed the connection.
    /// </remarks>
    [Fact]
    public void KestrelsFailedDrainOfARequestBody_AnErrorLineAClientCausesAtWill_IsLoggedAtDebug()
    {
        var (factory, logs) = Create(LogLevel.Debug);

        Write(factory.CreateLogger("Microsoft.AspNetCore.Server.Kestrel"), 67,
            "Connection id \"0HN\", Request id \"1-a\": automatic draining of the request body failed because the body reader is in an invalid state.",
            new InvalidOperationException("Reading is already in progress."));

        Assert.StartsWith("Debug Microsoft.AspNetCore.Server.Kestrel:", Assert.Single(logs.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public void KestrelsHttp2OutputQueueAbort_UnderTheShippedWarningLevel_IsNotWritten()
    {
        var (factory, logs) = Create(LogLevel.Warning);

        Write(factory.CreateLogger(KestrelHttp2), 60, "Connection id \"0HN\" exceeded the output operations maximum queue size.");

        Assert.Empty(logs.Lines);
    }

    [Theory]
    [InlineData(KestrelHttp2, 61)]
    [InlineData("Microsoft.AspNetCore.Server.Kestrel", 60)]
    [InlineData(KestrelHttp2, 67)]
    [InlineData("Microsoft.AspNetCore.Server.Kestrel.Connections", 67)]
    [InlineData("FcGateway", 60)]
    public void OtherLines_KeepTheirLevel(string category, int eventId)
    {
        var (factory, logs) = Create(LogLevel.Debug);

        Write(factory.CreateLogger(category), eventId, "a line");

        Assert.StartsWith($"Critical {category}:", Assert.Single(logs.Lines), StringComparison.Ordinal);
    }

    /// <summary>A Critical line, as Kestrel's generated logging writes it: through the logger itself.</summary>
    private static void Write(ILogger logger, int eventId, string message, Exception? exception = null) =>
        logger.Log(LogLevel.Critical, new EventId(eventId), message, exception, static (text, _) => text);

    private static (GatewayLoggerFactory Factory, CapturedLogs Logs) Create(LogLevel minimum)
    {
        var logs = new CapturedLogs();
        var aspNetCore = LoggerFactory.Create(builder => builder.SetMinimumLevel(minimum).AddProvider(logs));
        return (new GatewayLoggerFactory(aspNetCore), logs);
    }
}
