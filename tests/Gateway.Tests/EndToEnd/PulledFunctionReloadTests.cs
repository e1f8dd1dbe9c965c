using System.Net;
using System.Net.Sockets;
using System.Text;
using FcGateway.Configuration;
using FcGateway.Dispatch.Pull;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.RuntimeApi;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Configuration;
using static Gateway.Tests.EndToEnd.ConfigurationEdits;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// An edit of functions that pull their invocations: what the runtime API cannot take is refused, naming the restart it
/// needs, and a function removed answers its waiting polls and invocations at once, while those in flight finish.
/// </summary>
public sealed class PulledFunctionReloadTests
{
    /// <summary>
    /// The runtime API's listener starts with the gateway or not at all: a function that pulls, added when it did not,
    /// could never be reached by a worker, and its invocations waited their whole queue timeout for a 429.
    /// </summary>
    [Fact]
    public async Task AFunctionThatPulls_AddedWhenTheRuntimeApiDidNotStart_IsRejected_NamingTheRestart()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        await ReloadRejectedAsync(
            gateway,
            ("ReverseProxy:Routes:pulled:Match:Path", "/pulled/{**rest}"),
            ("ReverseProxy:Routes:pulled:Metadata:FunctionName", "pulled"),
            ("Gateway:Functions:pulled:RuntimeApi", "fc"));

        Assert.True(gateway.Logs.Contains("Gateway:Functions:pulled:RuntimeApi: the runtime API's listener starts with the gateway"));
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.Client.GetAsync("/pulled/x")).StatusCode);
    }

    /// <summary>
    /// A function's own port is opened at start-up only, so the edit binds nothing there, but the next start would refuse
    /// it: it is refused now, as an invalid telemetry setting is.
    /// </summary>
    [Fact]
    public async Task TwoFunctionsGivenOneRuntimeApiPort_IsRejected_NamingBoth_SinceTheNextStartWouldRefuseIt()
    {
        await using var gateway = await TestGateway.StartAsync(BesideAnotherPullFunction().Values);
        var configuration = Root(gateway);

        configuration["Gateway:Functions:echo:RuntimeApiUrl"] = "http://127.0.0.1:1";
        configuration["Gateway:Functions:other:RuntimeApiUrl"] = "http://127.0.0.1:1";
        configuration.Reload();
        await Eventually.HoldsAsync(() => gateway.Logs.Contains(Rejected) || gateway.Logs.Contains("is now in force"));

        Assert.Contains(gateway.Logs.Lines, line => line.Contains(Rejected, StringComparison.Ordinal)
            && line.Contains("Gateway:Functions:other:RuntimeApiUrl: 'http://127.0.0.1:1' is port 1 of an address Gateway:Functions:echo:RuntimeApiUrl listens on too", StringComparison.Ordinal)
            && line.Contains("The gateway's next start would refuse this", StringComparison.Ordinal));
    }

    /// <summary>
    /// A worker polls with the runtime API its function had when it started: switched under it to the other one, the
    /// invocation its waiting poll took had its reply refused, and the client waited out the function's Timeout for a 502.
    /// </summary>
    [Fact]
    public async Task AFunctionSwitchedBetweenFcAndLambda_IsRejected_NamingTheRestart()
    {
        await using var gateway = await PullFunction.StartAsync();
        await ReloadRejectedAsync(
            gateway,
            ("Gateway:Functions:echo:RuntimeApi", "lambda"));

        Assert.Contains(gateway.Logs.Lines, line => line.Contains("Gateway:Functions:echo:RuntimeApi:", StringComparison.Ordinal) && line.Contains("restart", StringComparison.Ordinal));
        Assert.Equal(RuntimeApiProtocol.Fc, gateway.Services.GetRequiredService<GatewaySettingsMonitor>().Current.GetFunction("echo").RuntimeApi);
    }

    /// <summary>
    /// Removed, then added again in a later edit with the other runtime API, a function is a new function: the poll its
    /// old worker (started by hand, so the gateway cannot stop it) kept waiting must not take the new function's
    /// invocations, whose replies it would send to the old runtime API, to be refused while the client waited out the
    /// function's Timeout. The poll is answered once the function is removed, saying why.
    /// </summary>
    [Fact]
    public async Task AFunctionRemovedThenAddedWithTheOtherRuntimeApi_EndsThePollItsOldWorkerKeptWaiting()
    {
        var editable = new EditableConfiguration(BesideAnotherPullFunction().Values);
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>(), builder => ((IConfigurationBuilder)builder.Configuration).Add(editable));
        using var oldWorker = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var poll = oldWorker.GetAsync($"http://{gateway.RuntimeApi()}/2020-11-11/runtime/invocation/next");
        await Eventually.HoldsAsync(() => gateway.Services.GetRequiredService<RuntimeApiDirectory>().MailboxOf(PullFunction.Name).WaitingPolls == 1);

        editable.Remove($"Gateway:Functions:{PullFunction.Name}", $"ReverseProxy:Routes:{PullFunction.Name}");
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force"));
        editable.Put(
            ($"Gateway:Functions:{PullFunction.Name}:RuntimeApi", "lambda"),
            ($"ReverseProxy:Routes:{PullFunction.Name}:Match:Path", $"/{PullFunction.Name}/{{**rest}}"),
            ($"ReverseProxy:Routes:{PullFunction.Name}:Metadata:FunctionName", PullFunction.Name));
        await Eventually.HoldsAsync(() => gateway.Logs.Lines.Count(line => line.Contains("is now in force", StringComparison.Ordinal)) == 2);

        using var answer = await poll.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        Assert.Contains($"Function {PullFunction.Name} ", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, gateway.Services.GetRequiredService<RuntimeApiDirectory>().MailboxOf(PullFunction.Name).WaitingPolls);
    }

    /// <summary>
    /// A worker started elsewhere took an invocation, then an edit removed its function: the invocation was in flight, so
    /// it finishes under the settings it started with, its reply taken at the address it came from.
    /// </summary>
    [Fact]
    public async Task AFunctionRemovedWhileItsWorkerRunsAnInvocation_StillTakesTheReply_AndAnswersTheClient()
    {
        var editable = new EditableConfiguration(BesideAnotherPullFunction().Values);
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>(), builder => ((IConfigurationBuilder)builder.Configuration).Add(editable));
        using var worker = new HttpClient { BaseAddress = new Uri($"http://{gateway.RuntimeApi()}/2020-11-11/runtime/invocation/") };
        var request = gateway.Client.GetAsync($"/{PullFunction.Name}/x");
        using var invocation = await worker.GetAsync("next");

        editable.Remove($"Gateway:Functions:{PullFunction.Name}", $"ReverseProxy:Routes:{PullFunction.Name}");
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force"));
        using var reply = await worker.PostAsync(
            $"{invocation.Headers.GetValues("x-fc-request-id").Single()}/response", new StringContent("""{"statusCode":200,"body":"finished"}"""));

        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        using var response = await request;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("finished", await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// An invocation waiting for a poll while the function's only worker (started by hand) runs another, when an edit
    /// removes the function: no poll can take it any more (the worker's next one is answered 404), so it is answered at
    /// once, saying why, not left to wait out the function's Timeout and be told that no worker polled.
    /// </summary>
    [Fact]
    public async Task AFunctionRemovedWhileAnInvocationWaitsForAPoll_AnswersItAtOnce_SayingTheFunctionWasRemoved()
    {
        var editable = new EditableConfiguration(BesideAnotherPullFunction().Set($"Gateway:Functions:{PullFunction.Name}:Timeout", "01:00:00").Values);
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>(), builder => ((IConfigurationBuilder)builder.Configuration).Add(editable));
        using var worker = new HttpClient { BaseAddress = new Uri($"http://{gateway.RuntimeApi()}/2020-11-11/runtime/invocation/") };
        var running = gateway.Client.GetAsync($"/{PullFunction.Name}/running");
        using var invocation = await worker.GetAsync("next");
        var waiting = gateway.Client.GetAsync($"/{PullFunction.Name}/waiting");
        var mailbox = gateway.Services.GetRequiredService<RuntimeApiDirectory>().MailboxOf(PullFunction.Name);
        await Eventually.HoldsAsync(() => mailbox.QueuedInvocations == 1);

        editable.Remove($"Gateway:Functions:{PullFunction.Name}", $"ReverseProxy:Routes:{PullFunction.Name}");

        using (var response = await waiting.WaitAsync(TimeSpan.FromSeconds(30)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Contains("ResourceThrottled", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await Eventually.HoldsAsync(() => gateway.Logs.Contains($"Function {PullFunction.Name} no longer pulls its invocations"));
        using var reply = await worker.PostAsync(
            $"{invocation.Headers.GetValues("x-fc-request-id").Single()}/response", new StringContent("""{"statusCode":200,"body":"finished"}"""));
        using var finished = await running;
        Assert.Equal(HttpStatusCode.OK, finished.StatusCode);
    }

    /// <summary>
    /// A request that came before an edit removed its pulled function, and whose body was still coming when the edit was
    /// put in force, is invoked after the function's address was retired: it is answered at once, as one waiting for a
    /// poll then is, not posted to a new address no worker's poll reaches, there to wait out the function's Timeout.
    /// </summary>
    [Fact]
    public async Task AFunctionRemovedWhileARequestsBodyIsComing_AnswersItAtOnce_SayingTheFunctionWasRemoved()
    {
        var editable = new EditableConfiguration(BesideAnotherPullFunction().Set($"Gateway:Functions:{PullFunction.Name}:Timeout", "01:00:00").Values);
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>(), builder => ((IConfigurationBuilder)builder.Configuration).Add(editable));
        var uri = new Uri(gateway.Url);
        using var client = new TcpClient();
        await client.ConnectAsync(uri.Host, uri.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST /{PullFunction.Name}/slow HTTP/1.1\r\nHost: {uri.Authority}\r\nContent-Length: 4\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n"));
        var buffer = new byte[4096];
        var continued = Encoding.ASCII.GetString(buffer, 0, await stream.ReadAsync(buffer));
        Assert.StartsWith("HTTP/1.1 100", continued, StringComparison.Ordinal);

        editable.Remove($"Gateway:Functions:{PullFunction.Name}", $"ReverseProxy:Routes:{PullFunction.Name}");
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force"));
        await stream.WriteAsync("body"u8.ToArray());

        using var response = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await stream.CopyToAsync(response, timeout.Token);
        var answer = RawResponse.Parse(response.ToArray());
        Assert.Equal(503, answer.StatusCode);
        Assert.Contains("ResourceThrottled", answer.Body, StringComparison.Ordinal);
        Assert.True(gateway.Logs.Contains($"Function {PullFunction.Name} no longer pulls its invocations"));
    }

    /// <summary>
    /// The settings of an edit are in force a moment before YARP has switched to its routes: a request that comes then is
    /// still routed to the routes the edit removes. One routed to a pulled function's route (which has no cluster) is
    /// invoked with the function as it was, as a request that came just before the edit is, not refused with YARP's
    /// bare 503 (no body, nothing logged) that a route without a cluster gets once its function's settings are gone.
    /// </summary>
    [Fact]
    public async Task ARequestRoutedToAPulledFunctionsRoute_ThatAnEditRemoves_BeforeYarpHasSwitched_IsInvoked()
    {
        var editable = new EditableConfiguration(BesideAnotherPullFunction().Values);
        var loaded = new YarpSwitchListener();
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>(), builder =>
        {
            ((IConfigurationBuilder)builder.Configuration).Add(editable);
            builder.Services.AddSingleton<IConfigChangeListener>(loaded);
        });
        using var worker = new HttpClient { BaseAddress = new Uri($"http://{gateway.RuntimeApi()}/2020-11-11/runtime/invocation/") };
        var served = Task.Run(async () =>
        {
            using var invocation = await worker.GetAsync("next");
            using var reply = await worker.PostAsync(
                $"{invocation.Headers.GetValues("x-fc-request-id").Single()}/response", new StringContent("""{"statusCode":200,"body":"finished"}"""));
        });
        HttpResponseMessage? response = null;
        loaded.OnLoaded = () => response = Task.Run(() => gateway.Client.GetAsync($"/{PullFunction.Name}/x")).GetAwaiter().GetResult();

        editable.Remove($"Gateway:Functions:{PullFunction.Name}", $"ReverseProxy:Routes:{PullFunction.Name}");
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force"));

        Assert.NotNull(response);
        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("finished", await response.Content.ReadAsStringAsync());
        }

        await served;
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.Client.GetAsync($"/{PullFunction.Name}/x")).StatusCode);
    }

    /// <summary>The pull function <c>echo</c>, and another, <c>other</c>, that keeps the configuration valid once an edit removes echo.</summary>
    private static GatewayConfiguration BesideAnotherPullFunction() => PullFunction.Configuration()
        .Set("ReverseProxy:Routes:other:Match:Path", "/other/{**rest}")
        .Set("ReverseProxy:Routes:other:Metadata:FunctionName", "other")
        .Set("Gateway:Functions:other:RuntimeApi", "fc");
}
