using System.Net;
using System.Net.Sockets;
using System.Text;
using FcGateway.Configuration;
using FcGateway.Dispatch.Pull;
using FcGateway.Edge.Requests;
using FcGateway.Edge.Triggers;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.RuntimeApi;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Tests.EndToEnd;

/// <summary>An edit of the configuration is taken or refused whole: the <c>ReverseProxy</c> and <c>Gateway</c> sections together.</summary>
public sealed class ConfigurationReloadTests
{
    private const string Rejected = "was rejected whole";

    [Fact]
    public async Task ANewRoute_WhoseTriggerSettingsAreInvalid_IsNotServed()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        AddSecretRoute(Root(gateway));
        await ReloadRejectedAsync(
            gateway,
            ("Gateway:Triggers:secret:AuthType", "bearer"),
            ("Gateway:Triggers:secret:BearerToken:0", "typo-for-BearerTokens"));

        Assert.Equal(HttpStatusCode.NotFound, (await gateway.Client.GetAsync("/secret/x")).StatusCode);
        Assert.True(gateway.Logs.Contains("Gateway:Triggers:secret:BearerToken"));
    }

    [Fact]
    public async Task AValidGatewayEdit_BesideAReverseProxyValueThatDoesNotConvert_IsNotApplied_AndTheLogNamesTheCluster()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        await ReloadRejectedAsync(
            gateway,
            ("Gateway:Triggers:echo:Methods:0", "POST"),
            ("ReverseProxy:Clusters:echo:HealthCheck:Active:Interval", "xx"));

        Assert.Equal(HttpStatusCode.OK, (await gateway.Client.GetAsync("/echo/")).StatusCode);
        Assert.Contains(gateway.Logs.Lines, line => line.Contains("ReverseProxy:Clusters:echo:", StringComparison.Ordinal) && line.Contains("'xx'", StringComparison.Ordinal));
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("   at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ANewRouteWithBearerAuth_IsNeverServedWithoutIt()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        var configuration = Root(gateway);

        AddSecretRoute(configuration);
        configuration["Gateway:Triggers:secret:AuthType"] = "bearer";
        configuration["Gateway:Triggers:secret:BearerTokens:0"] = "right";
        configuration.Reload();

        var status = HttpStatusCode.NotFound;
        for (var attempt = 0; attempt < 10_000 && status == HttpStatusCode.NotFound; attempt++)
        {
            status = (await gateway.Client.GetAsync("/secret/x")).StatusCode;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force"));
    }

    [Fact]
    public async Task ARequestThatArrivedBeforeTheReload_RoutedToTheRouteItAdded_IsHeldToThatRoutesTrigger()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        var configuration = Root(gateway);
        var reachedTheFunction = false;
        var triggers = ActivatorUtilities.CreateInstance<TriggerMiddleware>(gateway.Services, (RequestDelegate)(_ =>
        {
            reachedTheFunction = true;
            return Task.CompletedTask;
        }));

        // The request takes its settings, then the reload is put in force, then the request is routed: routing comes
        // after the request middleware, and matches against the routes YARP has at that moment.
        var arrival = ActivatorUtilities.CreateInstance<GatewayRequestMiddleware>(gateway.Services, (RequestDelegate)(async context =>
        {
            AddSecretRoute(configuration);
            configuration["Gateway:Triggers:secret:AuthType"] = "bearer";
            configuration["Gateway:Triggers:secret:BearerTokens:0"] = "right";
            configuration.Reload();
            await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force"));
            gateway.Services.GetRequiredService<IProxyStateLookup>().TryGetRoute("secret", out var route);
            context.SetEndpoint(new Endpoint(null, new EndpointMetadataCollection(route!), "secret"));
            await triggers.InvokeAsync(context);
        }));
        var context = new DefaultHttpContext { RequestServices = gateway.Services, Response = { Body = new MemoryStream() } };
        context.Request.Method = "GET";
        context.Request.Host = new HostString("localhost");
        context.Request.Path = "/secret/x";

        await arrival.InvokeAsync(context);

        Assert.False(reachedTheFunction);
        Assert.Equal(StatusCodes.Status401Unauthorized, context.Response.StatusCode);
    }

    [Fact]
    public async Task AValueThatDoesNotConvert_AtStartUp_IsListedWithTheOtherProblems_NamingItsCluster()
    {
        var config = new GatewayConfiguration()
            .WithFunction("echo", "http://127.0.0.1:9")
            .Set("ReverseProxy:Clusters:echo:HealthCheck:Active:Interval", "xx")
            .Set("Gateway:Functions:echo:Timeout", "soon");

        var problems = await ProblemsAtStartUpAsync(config);

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("ReverseProxy:Clusters:echo:", StringComparison.Ordinal) && p.Contains("'xx'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Gateway:Functions:echo:Timeout", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AClusterValueThatDoesNotConvert_AtStartUp_DoesNotHideTheRoutesProblems()
    {
        var config = new GatewayConfiguration()
            .WithFunction("echo", "http://127.0.0.1:9")
            .Set("ReverseProxy:Clusters:echo:HealthCheck:Active:Interval", "xx")
            .Set("ReverseProxy:Routes:orphan:ClusterId", "echo")
            .Set("ReverseProxy:Routes:orphan:Match:Path", "/orphan/{**rest}");

        var problems = await ProblemsAtStartUpAsync(config);

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("ReverseProxy:Clusters:echo:", StringComparison.Ordinal) && p.Contains("'xx'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Route 'orphan' has no function", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AClusterValueThatDoesNotConvert_AtStartUp_DoesNotHideItsDestinationsProblems()
    {
        var config = new GatewayConfiguration()
            .WithFunction("echo", "127.0.0.1:9")
            .Set("ReverseProxy:Clusters:echo:HealthCheck:Active:Interval", "xx");

        var problems = await ProblemsAtStartUpAsync(config);

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("ReverseProxy:Clusters:echo:", StringComparison.Ordinal) && p.Contains("'xx'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Cluster 'echo' destination", StringComparison.Ordinal) && p.Contains("'127.0.0.1:9'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARouteValueThatDoesNotConvert_AtStartUp_DoesNotHideTheOtherRoutesProblems()
    {
        var config = new GatewayConfiguration()
            .WithFunction("echo", "http://127.0.0.1:9")
            .Set("ReverseProxy:Routes:echo:Order", "x")
            .Set("ReverseProxy:Routes:orphan:ClusterId", "echo")
            .Set("ReverseProxy:Routes:orphan:Match:Path", "/orphan/{**rest}")
            .Set("ReverseProxy:Routes:lost:ClusterId", "missing")
            .Set("ReverseProxy:Routes:lost:Match:Path", "/lost/{**rest}")
            .Set("ReverseProxy:Routes:lost:Metadata:FunctionName", "echo");

        var problems = await ProblemsAtStartUpAsync(config);

        Assert.Equal(3, problems.Count);
        Assert.Contains("ReverseProxy:Routes:echo:Order: 'x' is not a whole number.", problems);
        Assert.Contains(problems, p => p.StartsWith("Route 'orphan' has no function", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Route 'lost' refers to cluster 'missing'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARouteValueThatDoesNotConvert_OnReload_DoesNotHideTheOtherRoutesProblems()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        await ReloadRejectedAsync(
            gateway,
            ("ReverseProxy:Routes:echo:Order", "x"),
            ("ReverseProxy:Routes:orphan:ClusterId", "echo"),
            ("ReverseProxy:Routes:orphan:Match:Path", "/orphan/{**rest}"));

        Assert.True(gateway.Logs.Contains("2 problem(s)"));
        Assert.True(gateway.Logs.Contains("ReverseProxy:Routes:echo:Order: 'x' is not a whole number."));
        Assert.True(gateway.Logs.Contains("Route 'orphan' has no function"));
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client.GetAsync("/echo/")).StatusCode);
    }

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
    /// Kestrel's own limits sit at four times the gateway's so that the gateway answers a request over its limit: a
    /// limit raised by an edit past four times its start-up value must raise them too, or a request within the new
    /// limit is refused by Kestrel.
    /// </summary>
    [Theory]
    [InlineData("Gateway:Limits:MaxRequestHeaderBytes")]
    [InlineData("Gateway:Limits:MaxPathAndQueryBytes")]
    public async Task ALimitRaisedPastFourTimesItsStartUpValue_AdmitsARequestWithinIt(string limit)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        var configuration = Root(gateway);
        var large = new string('x', 40_000);

        configuration[limit] = "65536";
        configuration.Reload();
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force"));

        using var request = new HttpRequestMessage(HttpMethod.Get, limit.EndsWith("HeaderBytes", StringComparison.Ordinal) ? "/echo/" : "/echo/" + large);
        if (limit.EndsWith("HeaderBytes", StringComparison.Ordinal))
        {
            request.Headers.Add("X-Large", large);
        }

        Assert.Equal(HttpStatusCode.OK, (await gateway.Client.SendAsync(request)).StatusCode);
    }

    /// <summary>
    /// Kestrel refuses to start with a request buffer (1 MiB unless configured) smaller than its header limit, which is
    /// four times the gateway's: a header limit over 256 KiB stopped start-up. The buffer follows the head's limits, at
    /// start-up and when an edit raises them.
    /// </summary>
    [Fact]
    public async Task AHeaderLimitOverAQuarterOfKestrelsRequestBuffer_AtStartUpAndByAnEdit_GetsTheGatewaysAnswers()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Gateway:Limits:MaxRequestHeaderBytes", "524288"));
        var configuration = Root(gateway);
        Assert.Equal(HttpStatusCode.OK, (await SendWithHeaderAsync(gateway, 400_000)).StatusCode);

        configuration["Gateway:Limits:MaxRequestHeaderBytes"] = "1048576";
        configuration.Reload();
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force"));

        var over = await SendWithHeaderAsync(gateway, 1_200_000);
        Assert.Equal(HttpStatusCode.BadRequest, over.StatusCode);
        Assert.True(over.Headers.Contains("X-Fc-Request-Id"));
    }

    private static Task<HttpResponseMessage> SendWithHeaderAsync(TestGateway gateway, int bytes)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/echo/");
        request.Headers.Add("X-Large", new string('x', bytes));
        return gateway.Client.SendAsync(request);
    }

    /// <summary>
    /// An edit is put in force whole, but some settings are read once at start-up: the log says which of them the edit
    /// changed, so that "now in force" does not hide that they wait for a restart.
    /// </summary>
    [Fact]
    public async Task AnEditOfSettingsReadAtStartUp_IsApplied_AndTheLogNamesEachOneThatWaitsForARestart()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        var configuration = Root(gateway);

        configuration["Gateway:Functions:echo:MemorySize"] = "2048";
        configuration["Gateway:DrainTimeout"] = "00:00:03";
        configuration["Gateway:RuntimeApi:Urls"] = "http://127.0.0.1:9";
        configuration["OpenTelemetry:Otlp:Endpoint"] = "http://127.0.0.1:9";
        configuration["Urls"] = "http://127.0.0.1:8";
        configuration.Reload();
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("until the gateway restarts"));

        await gateway.Client.GetAsync("/echo/");
        Assert.Equal("2048", worker.Received.Last().Header("x-fc-function-memory"));
        var line = gateway.Logs.Lines.First(line => line.Contains("until the gateway restarts", StringComparison.Ordinal));
        Assert.Contains("Gateway:DrainTimeout", line, StringComparison.Ordinal);
        Assert.Contains("Gateway:RuntimeApi:Urls", line, StringComparison.Ordinal);
        Assert.Contains("OpenTelemetry", line, StringComparison.Ordinal);
        Assert.Contains(": Urls, ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("MemorySize", line, StringComparison.Ordinal);
    }

    /// <remarks>Such an edit changes nothing in force: it still says what waits for a restart, once however often signalled.</remarks>
    [Fact]
    public async Task AnEditOfUrlsAlone_NamesItAsWaitingForARestart_Once()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c
            .Set("Logging:LogLevel:FcGateway.Configuration.GatewayProxyConfigProvider", "Debug"));
        var configuration = Root(gateway);

        configuration["Urls"] = "http://127.0.0.1:9";
        configuration.Reload();
        configuration.Reload();
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("until the gateway restarts: Urls."));
        await Eventually.HoldsAsync(() => gateway.Logs.Lines.Count(line => line.Contains("equal those in force", StringComparison.Ordinal)) >= 2);

        Assert.Single(gateway.Logs.Lines, line => line.Contains("until the gateway restarts", StringComparison.Ordinal));
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("is now in force", StringComparison.Ordinal));
    }

    /// <remarks>
    /// The warnings of a configuration (a function without settings, a cluster without destinations) are about the one
    /// in force: a save that leaves it as it is (a <c>touch</c>, an edit of another section) or an edit that is rejected
    /// does not repeat them; an edit taken says those of what it puts in force.
    /// </remarks>
    [Fact]
    public async Task TheWarningsOfTheConfigurationInForce_AreNotRepeatedByASaveThatKeepsIt_NorByARejectedEdit()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, "ech0", c => c
            .Set("Logging:LogLevel:FcGateway.Configuration.GatewayProxyConfigProvider", "Debug"));
        var configuration = Root(gateway);
        const string Warning = "no Gateway:Functions:ech0 entry";

        configuration["AllowedHostsTypo"] = "outside the judged sections";
        configuration.Reload();
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("equal those in force"));
        await ReloadRejectedAsync(gateway, ("Gateway:Limits:MaxRequestBodyBytes", "lots"));
        Assert.Single(gateway.Logs.Lines, line => line.Contains(Warning, StringComparison.Ordinal));

        configuration["Gateway:Limits:MaxRequestBodyBytes"] = "1048576";
        configuration.Reload();
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force"));
        Assert.Equal(2, gateway.Logs.Lines.Count(line => line.Contains(Warning, StringComparison.Ordinal)));
    }

    /// <summary>The telemetry settings are read at start-up only, but an edit that would stop the next start is refused now.</summary>
    [Fact]
    public async Task AnInvalidTelemetrySetting_IsRejectedWithTheEdit_NamingIt()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        await ReloadRejectedAsync(
            gateway,
            ("Gateway:Functions:echo:MemorySize", "2048"),
            ("OpenTelemetry:Otlp:Endpoint", "otel-collector:4317"));

        Assert.True(gateway.Logs.Contains("OpenTelemetry:Otlp:Endpoint"));
        await gateway.Client.GetAsync("/echo/");
        Assert.Equal("512", worker.Received.Last().Header("x-fc-function-memory"));
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

    /// <summary>
    /// Until YARP has switched to an edit's routes, requests are routed with the routes in force, and are served with the
    /// triggers that go with them, not with the edit's. An edit that narrows a route asking for a token and makes it
    /// anonymous, moving the rest of its paths to a new route that asks for the token, never serves the rest without it:
    /// under the edit's triggers, the route in force would have matched them anonymous.
    /// </summary>
    [Fact]
    public async Task ARequestRoutedBeforeYarpHasSwitched_IsServedWithTheTriggersOfTheRoutesInForce_NotWithTheEdits()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        var editable = new EditableConfiguration(new GatewayConfiguration().WithFunction("echo", worker.Url)
            .Set("Gateway:Triggers:echo:AuthType", "bearer")
            .Set("Gateway:Triggers:echo:BearerTokens:0", "right").Values);
        var loaded = new YarpSwitchListener();
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>(), builder =>
        {
            ((IConfigurationBuilder)builder.Configuration).Add(editable);
            builder.Services.AddSingleton<IConfigChangeListener>(loaded);
        });
        HttpStatusCode? beforeTheSwitch = null;
        loaded.OnLoaded = () => beforeTheSwitch = Task.Run(async () => (await gateway.Client.GetAsync("/echo/secret")).StatusCode).GetAwaiter().GetResult();

        editable.Replace(
            ["Gateway:Triggers:echo:BearerTokens"],
            ("ReverseProxy:Routes:echo:Match:Path", "/echo/public/{**rest}"),
            ("Gateway:Triggers:echo:AuthType", "anonymous"),
            ("ReverseProxy:Routes:private:ClusterId", "echo"),
            ("ReverseProxy:Routes:private:Match:Path", "/echo/{**rest}"),
            ("ReverseProxy:Routes:private:Metadata:FunctionName", "echo"),
            ("Gateway:Triggers:private:AuthType", "bearer"),
            ("Gateway:Triggers:private:BearerTokens:0", "right"));
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force"));

        Assert.Equal(HttpStatusCode.Unauthorized, beforeTheSwitch);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.Client.GetAsync("/echo/secret")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client.GetAsync("/echo/public/x")).StatusCode);
    }

    /// <summary>
    /// YARP serves an edit's routes a moment before it reports them applied: a request routed then to a route the edit
    /// changes is served with that route's trigger in the edit, not with the trigger of the route it replaces. An edit
    /// that widens an anonymous route to the paths of a route asking for a token, which it removes, and makes it ask
    /// for the token, never serves those paths without it.
    /// </summary>
    [Fact]
    public async Task ARequestRoutedToAnEditsRoute_BeforeYarpReportsItApplied_IsServedWithTheEditsTrigger()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        var editable = new EditableConfiguration(PublicAnonymousBesidePrivateBearer(worker.Url).Values);
        var switching = new YarpSwitchListener();
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>(), builder =>
        {
            ((IConfigurationBuilder)builder.Configuration).Add(editable);
            builder.Services.AddSingleton<IConfigChangeListener>(switching);
        });
        HttpStatusCode? servedBeforeReported = null;
        switching.OnApplied = () => servedBeforeReported = Task.Run(async () => (await gateway.Client.GetAsync("/echo/secret")).StatusCode).GetAwaiter().GetResult();

        editable.Replace(
            ["ReverseProxy:Routes:private", "Gateway:Triggers:private"],
            ("ReverseProxy:Routes:echo:Match:Path", "/echo/{**rest}"),
            ("Gateway:Triggers:echo:AuthType", "bearer"),
            ("Gateway:Triggers:echo:BearerTokens:0", "right"));
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force"));

        Assert.Equal(HttpStatusCode.Unauthorized, servedBeforeReported);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.Client.GetAsync("/echo/secret")).StatusCode);
    }

    /// <summary>The pull function <c>echo</c>, and another, <c>other</c>, that keeps the configuration valid once an edit removes echo.</summary>
    private static GatewayConfiguration BesideAnotherPullFunction() => PullFunction.Configuration()
        .Set("ReverseProxy:Routes:other:Match:Path", "/other/{**rest}")
        .Set("ReverseProxy:Routes:other:Metadata:FunctionName", "other")
        .Set("Gateway:Functions:other:RuntimeApi", "fc");

    private static IConfigurationRoot Root(TestGateway gateway) => (IConfigurationRoot)gateway.Services.GetRequiredService<IConfiguration>();

    /// <summary>Makes <paramref name="edits"/> to the gateway's configuration, reloads it, and waits for the edit to be rejected.</summary>
    private static async Task ReloadRejectedAsync(TestGateway gateway, params (string Key, string Value)[] edits)
    {
        var configuration = Root(gateway);
        foreach (var (key, value) in edits)
        {
            configuration[key] = value;
        }

        configuration.Reload();
        await Eventually.HoldsAsync(() => gateway.Logs.Contains(Rejected));
    }

    private static void AddSecretRoute(IConfigurationRoot configuration)
    {
        configuration["ReverseProxy:Routes:secret:ClusterId"] = "echo";
        configuration["ReverseProxy:Routes:secret:Match:Path"] = "/secret/{**rest}";
        configuration["ReverseProxy:Routes:secret:Metadata:FunctionName"] = "echo";
    }

    /// <summary>The problems for which a gateway given <paramref name="config"/> refuses to start.</summary>
    private static async Task<IReadOnlyList<string>> ProblemsAtStartUpAsync(GatewayConfiguration config) =>
        (await Assert.ThrowsAsync<GatewayConfigurationException>(() => TestGateway.StartAsync(config.Values))).Problems;

    /// <summary>
    /// Function <c>echo</c> at <paramref name="workerUrl"/> behind two routes: <c>echo</c>, anonymous, on
    /// <c>/echo/public/**</c>, and <c>private</c>, asking for the bearer token <c>right</c>, on the rest of <c>/echo/**</c>.
    /// </summary>
    internal static GatewayConfiguration PublicAnonymousBesidePrivateBearer(string workerUrl) =>
        new GatewayConfiguration().WithFunction("echo", workerUrl)
            .Set("ReverseProxy:Routes:echo:Match:Path", "/echo/public/{**rest}")
            .Set("Gateway:Triggers:echo:AuthType", "anonymous")
            .Set("ReverseProxy:Routes:private:ClusterId", "echo")
            .Set("ReverseProxy:Routes:private:Match:Path", "/echo/{**rest}")
            .Set("ReverseProxy:Routes:private:Metadata:FunctionName", "echo")
            .Set("Gateway:Triggers:private:AuthType", "bearer")
            .Set("Gateway:Triggers:private:BearerTokens:0", "right");
}
