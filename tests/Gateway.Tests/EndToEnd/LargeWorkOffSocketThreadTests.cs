using System.Net;
using System.Text;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.RuntimeApi;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// Work that grows with a body's size leaves a thread that is not the pool's (with inline socket completions, one that
/// polls sockets) before it starts (<c>InlineSocketCompletions.MustLeaveForWorkOn</c>); smaller work stays where it is.
/// </summary>
public sealed class LargeWorkOffSocketThreadTests
{
    /// <summary>
    /// The invocation API reads a request's whole body before it checks it: a signature's hash, a Lambda payload's UTF-8
    /// and JSON, each as long as the body (up to 6 MB and more), would otherwise hold up every connection of that thread.
    /// </summary>
    [Theory]
    [InlineData(64 * 1024, true)]
    [InlineData(1024, false)]
    public async Task InvocationApi_ALargeBodyIsCheckedOffTheRequestsThread_ASmallOneWhereItCame(int length, bool onThePool)
    {
        var threads = new RequestsOnThreadsOfTheirOwn();
        var config = PullFunction.Configuration().Set($"Gateway:Functions:{PullFunction.Name}:RuntimeApi", "lambda");
        await using var gateway = await TestGateway.StartAsync(config.Values, builder => builder.Services.AddSingleton<IStartupFilter>(threads));
        var notJson = Encoding.ASCII.GetBytes("[" + new string('1', length - 2) + "x");

        using var response = await gateway.Client.PostAsync(LambdaFunction.InvokePath, new ByteArrayContent(notJson)).WaitAsync(LambdaFunction.Bound);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([onThePool], threads.ResponsesStartedOnThePool);
    }

    /// <summary>
    /// An event trigger encodes the request's body into the event (base64, or escaped JSON text, as long as the body)
    /// before its first wait for the worker. Here no worker polls and the function has no queue, so the invocation is
    /// refused (429) without a wait, on whichever thread the trigger is on by then.
    /// </summary>
    [Theory]
    [InlineData(64 * 1024, true)]
    [InlineData(1024, false)]
    public async Task EventTrigger_ALargeBodyLeavesTheRequestsThreadBeforeItsEvent_ASmallOneStays(int length, bool onThePool)
    {
        var threads = new RequestsOnThreadsOfTheirOwn();
        var config = PullFunction.Configuration().Set($"Gateway:Functions:{PullFunction.Name}:MaxQueueLength", "0");
        await using var gateway = await TestGateway.StartAsync(config.Values, builder => builder.Services.AddSingleton<IStartupFilter>(threads));

        using var response = await gateway.Client.PostAsync($"/{PullFunction.Name}/", new ByteArrayContent(new byte[length])).WaitAsync(LambdaFunction.Bound);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal([onThePool], threads.ResponsesStartedOnThePool);
    }
}
