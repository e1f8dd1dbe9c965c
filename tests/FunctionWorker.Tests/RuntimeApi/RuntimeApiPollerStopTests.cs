using System.Text;
using FcWorker.RuntimeApi;
using FcWorker.Tests.TestHelpers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FcWorker.Tests.RuntimeApi;

/// <summary>A pulling worker's stop while a poll is outstanding (sent along with its last reply, or waiting), against a runtime API scripted byte for byte.</summary>
public sealed class RuntimeApiPollerStopTests
{
    private const string Invocation = "HTTP/1.1 200 OK\r\nx-fc-request-id: r1\r\nContent-Length: 5\r\n\r\nhello";
    private const string Accepted = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";

    [Fact]
    public async Task Stop_PollSentAlongWithTheReplyAnsweredWithACall_RunsIt()
    {
        using var api = new ScriptedRuntimeApi();
        await using var worker = await StartAsync(api);
        using var first = await ReplyWithPollAsync(api);

        // The stop comes while the reply waits for its answer; the runtime API then hands the poll behind it a call.
        var stopping = PollerOf(worker).StopAsync(CancellationToken.None);
        await first.WriteAsync(Accepted + Invocation.Replace("r1", "r2", StringComparison.Ordinal));

        Assert.Equal("", await first.ReadToCloseAsync());
        using var second = await api.AcceptAsync();
        var (head, body) = await second.ReadRequestAsync();
        await second.WriteAsync(Accepted);
        await stopping.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.StartsWith("POST /fn/2020-11-11/runtime/invocation/r2/response ", head);
        Assert.Equal("out", Encoding.UTF8.GetString(body));
        Assert.Equal("", await second.ReadToCloseAsync());
    }

    [Fact]
    public async Task Stop_PollSentAlongWithTheReplyNotAnswered_EndsItsSendingSide_AndStopsWhenTheRuntimeApiCloses()
    {
        using var api = new ScriptedRuntimeApi();
        await using var worker = await StartAsync(api);
        var first = await ReplyWithPollAsync(api);

        var stopping = PollerOf(worker).StopAsync(CancellationToken.None);
        await first.WriteAsync(Accepted);

        // The runtime API sees the poll go before it answered it, and hands it nothing.
        Assert.Equal("", await first.ReadToCloseAsync());
        first.Dispose();
        await stopping.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(1, api.Accepted);
    }

    /// <summary>
    /// A poll still waiting when the stop comes is given up as one sent along with a reply is: the sending side ends, and a
    /// call the runtime API wrote before it saw that end (the gateway counts it delivered) is read and run.
    /// </summary>
    [Fact]
    public async Task Stop_PollWaiting_EndsItsSendingSide_AndRunsTheCallWrittenBeforeTheRuntimeApiSawIt()
    {
        using var api = new ScriptedRuntimeApi();
        await using var worker = await StartAsync(api);
        using var first = await api.AcceptAsync();
        Assert.StartsWith("GET /fn/2020-11-11/runtime/invocation/next ", (await first.ReadRequestAsync()).Head);

        var stopping = PollerOf(worker).StopAsync(CancellationToken.None);
        Assert.Equal("", await first.ReadToCloseAsync());
        await first.WriteAsync(Invocation);

        using var second = await api.AcceptAsync();
        var (head, body) = await second.ReadRequestAsync();
        await second.WriteAsync(Accepted);
        await stopping.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.StartsWith("POST /fn/2020-11-11/runtime/invocation/r1/response ", head);
        Assert.Equal("out", Encoding.UTF8.GetString(body));
        Assert.Equal("", await second.ReadToCloseAsync());
    }

    private static Task<TestWorker> StartAsync(ScriptedRuntimeApi api) =>
        TestWorker.StartAsync(() => "out", args: $"--FC_RUNTIME_API={api.InvocationBase.Authority}/fn");

    /// <summary>Hands the worker's first poll <c>r1</c>, and reads its reply and the poll sent along with it.</summary>
    private static async Task<ScriptedConnection> ReplyWithPollAsync(ScriptedRuntimeApi api)
    {
        var server = await api.AcceptAsync();
        await server.ReadRequestAsync();
        await server.WriteAsync(Invocation);
        Assert.StartsWith("POST /fn/2020-11-11/runtime/invocation/r1/response ", (await server.ReadRequestAsync()).Head);
        Assert.StartsWith("GET /fn/2020-11-11/runtime/invocation/next ", (await server.ReadRequestAsync()).Head);
        return server;
    }

    private static RuntimeApiPoller PollerOf(TestWorker worker) => worker.Services.GetServices<IHostedService>().OfType<RuntimeApiPoller>().Single();
}
