using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using FcGateway.RuntimeApi;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.RuntimeApi;

/// <summary>
/// How the runtime API reads a request's path (<see cref="RuntimeApiRouter"/>): as endpoint routing read the same
/// templates before it — literals in any case, one slash after the call, no empty parameter, a call in the wrong method
/// 405 with <c>Allow</c>, anything else an empty 404.
/// </summary>
public sealed class RuntimeApiRouterTests
{
    private const string Fc = "/2020-11-11/runtime";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("POST", Fc + "/invocation/next", "GET")]
    [InlineData("PUT", Fc + "/invocation/next/", "GET")]
    [InlineData("GET", Fc + "/invocation/abc/response", "POST")]
    [InlineData("GET", Fc + "/invocation/abc/error", "POST")]
    [InlineData("DELETE", Fc + "/INVOCATION/abc/Error/", "POST")]
    public async Task ACall_InTheWrongMethod_Is405_NamingTheOneItTakes(string method, string call, string allowed)
    {
        await using var gateway = await PullFunction.StartAsync();
        using var client = RuntimeApiClient(gateway);

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/functions/echo" + call)).WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal([allowed], response.Content.Headers.Allow);
    }

    [Theory]
    [InlineData("GET", "/")]
    [InlineData("GET", "/functions")]
    [InlineData("GET", "/functions/echo")]
    [InlineData("GET", "/functions//2020-11-11/runtime/invocation/next")]
    [InlineData("GET", "/functions/echo/instances" + Fc + "/invocation/next")]
    [InlineData("GET", "/functions/echo/instances//2020-11-11/runtime/invocation/next")]
    [InlineData("GET", "/functions/echo" + Fc)]
    [InlineData("GET", "/functions/echo" + Fc + "/invocation")]
    [InlineData("GET", "/functions/echo" + Fc + "/invocation/next/more")]
    [InlineData("GET", "/functions/echo" + Fc + "/invocation/next//")]
    [InlineData("POST", "/functions/echo" + Fc + "/invocation//response")]
    [InlineData("POST", "/functions/echo" + Fc + "/invocation/abc/answer")]
    [InlineData("POST", "/functions/echo" + Fc + "/invocation/abc/response/more")]
    [InlineData("POST", "/functions/echo" + Fc + "/init/error")]
    [InlineData("GET", "/functions/echo/2020-11-11/runtimes/invocation/next")]
    [InlineData("GET", "/functions/echo/1999-01-01/runtime/invocation/next")]
    public async Task APath_NoCallReads_IsAnEmpty404(string method, string path)
    {
        await using var gateway = await PullFunction.StartAsync();
        using var client = RuntimeApiClient(gateway);

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)).WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>
    /// Literals in any case and a slash after the call reach the call, at a function's address and at the root, which
    /// serves the only function pulling with its protocol.
    /// </summary>
    [Theory]
    [InlineData("/FUNCTIONS/echo/2020-11-11/Runtime/Invocation/NEXT/", "/Functions/echo" + Fc + "/invocation/{0}/Response/")]
    [InlineData("/2020-11-11/RUNTIME/invocation/next", Fc + "/invocation/{0}/response")]
    public async Task APollAndItsReply_SpelledAsRoutingTookThem_AnswerTheClient(string next, string replyFormat)
    {
        await using var gateway = await PullFunction.StartAsync();
        using var client = RuntimeApiClient(gateway);
        var invoked = gateway.Client.GetAsync("/echo/");

        using var poll = await client.GetAsync(next).WaitAsync(Bound);
        var id = poll.Headers.GetValues("x-fc-request-id").Single();
        using var reply = await client.PostAsync(string.Format(CultureInfo.InvariantCulture, replyFormat, id), new StringContent("""{"statusCode":202}""")).WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.OK, poll.StatusCode);
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        using var response = await invoked.WaitAsync(Bound);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task TheRoot_OfAProtocolNoFunctionPullsWith_RefusesAReplyWithTheReason()
    {
        await using var gateway = await PullFunction.StartAsync();
        using var client = RuntimeApiClient(gateway);

        using var response = await client.PostAsync("/2018-06-01/runtime/invocation/abc/response", new StringContent("{}")).WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("No function whose workers are started elsewhere pulls its invocations with this runtime API (/2018-06-01/runtime)", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheRoot_OfAProtocolNoFunctionPullsWith_IsMeasuredUnderItsCatchAllRoute()
    {
        using var measured = new RequestMeasurements();
        await using var gateway = await PullFunction.StartAsync();
        using var client = RuntimeApiClient(gateway);

        using var response = await client.DeleteAsync("/2018-06-01/runtime/anything").WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await Eventually.HoldsAsync(() => measured.Tags.Any(tags => tags.GetValueOrDefault("http.request.method") is "DELETE"
            && tags.GetValueOrDefault("http.route") is "/2018-06-01/runtime/{**path}"));
    }

    [Theory]
    [InlineData("/functions/echo" + Fc, "/functions/{function}" + Fc)]
    [InlineData("/functions/echo/instances/gone" + Fc, "/functions/{function}/instances/{instance}" + Fc)]
    [InlineData(Fc, Fc)]
    public async Task ACall_IsMeasuredUnderTheTemplateOfThePathItCameBy(string address, string template)
    {
        using var measured = new RequestMeasurements();
        await using var gateway = await PullFunction.StartAsync();
        using var client = RuntimeApiClient(gateway);

        using var response = await client.PostAsync(address + "/invocation/none-such/error", new StringContent("{}")).WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await Eventually.HoldsAsync(() => measured.Tags.Any(tags => tags.GetValueOrDefault("http.request.method") is "POST"
            && tags.GetValueOrDefault("http.route") is string route && route == template + "/invocation/{id}/error"));
    }

    [Fact]
    public async Task APath_NoCallReads_IsMeasuredAsUnhandled_AsRoutingsWas()
    {
        using var measured = new RequestMeasurements();
        await using var gateway = await PullFunction.StartAsync();
        using var client = RuntimeApiClient(gateway);

        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Patch, "/functions/echo/no-call-here")).WaitAsync(Bound);

        // Listeners are process-wide: other tests' runtime APIs may add measurements, but none of them a PATCH.
        await Eventually.HoldsAsync(() => measured.Tags.Any(tags => tags.GetValueOrDefault("http.request.method") is "PATCH"));
        var tags = measured.Tags.Single(tags => tags.GetValueOrDefault("http.request.method") is "PATCH");
        Assert.Equal(404, tags["http.response.status_code"]);
        Assert.Equal(true, tags.GetValueOrDefault("aspnetcore.request.is_unhandled"));
        Assert.False(tags.ContainsKey("http.route"));
    }

    private static HttpClient RuntimeApiClient(TestGateway gateway) =>
        new() { BaseAddress = gateway.Services.GetRequiredService<RuntimeApiServer>().Address };

    /// <summary>The tags of every <c>http.server.request.duration</c> measurement of the runtime API's listeners.</summary>
    private sealed class RequestMeasurements : IDisposable
    {
        private readonly MeterListener _listener = new()
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == RuntimeApiMeterFactory.MeterPrefix + "Microsoft.AspNetCore.Hosting" && instrument.Name == "http.server.request.duration")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };

        public RequestMeasurements()
        {
            _listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
                Tags.Enqueue(new Dictionary<string, object?>(tags.ToArray().Select(tag => KeyValuePair.Create(tag.Key, tag.Value)))));
            _listener.Start();
        }

        public ConcurrentQueue<Dictionary<string, object?>> Tags { get; } = new();

        public void Dispose() => _listener.Dispose();
    }
}
