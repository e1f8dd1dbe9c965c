using System.Net;
using System.Text.Json;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Gateway.Tests.RuntimeApi.LambdaFunction;

namespace Gateway.Tests.RuntimeApi;

/// <summary>A Lambda function's <c>init/error</c>: 202, and the invocations waiting at its address fail with what it reported.</summary>
public sealed class LambdaInitErrorTests
{
    [Fact]
    public async Task InitError_Is202_AndFailsTheInvocationsWaitingAtTheAddress()
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        var invoked = gateway.Client.PostAsync(InvokePath, new StringContent("{}"));
        var mailbox = gateway.Services.GetRequiredService<FcGateway.Dispatch.Pull.RuntimeApiDirectory>().MailboxOf(PullFunction.Name);
        await Eventually.HoldsAsync(() => mailbox.QueuedInvocations == 1);

        using var reported = await runtime.PostAsync("init/error", new StringContent("""{"errorMessage":"no config","errorType":"Runtime.InitError"}"""));
        var response = await invoked.WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.Accepted, reported.StatusCode);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("UnhandledInvocationError", response.Headers.GetValues("X-Fc-Error-Type").Single());
        Assert.Equal("""{"errorMessage":"no config","errorType":"Runtime.InitError"}""", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("", "Runtime.ExitError", "The function's process failed to initialize (its init/error had no body).", "Runtime.ExitError")]
    [InlineData("""{"errorMessage":"bad import"}""", "Runtime.ImportModuleError", "bad import", "Runtime.ImportModuleError")]
    [InlineData("""{"errorMessage":"bad import","errorType":"Runtime.UserCodeSyntaxError"}""", "Runtime.ImportModuleError", "bad import", "Runtime.UserCodeSyntaxError")]
    [InlineData("not a document", null, "not a document", "InitializationError")]
    public async Task InitError_TheWaitingInvocationGetsTheReportedMessageAndType(string body, string? typeHeader, string message, string type)
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        var invoked = gateway.Client.PostAsync(InvokePath, new StringContent("{}"));
        var mailbox = gateway.Services.GetRequiredService<FcGateway.Dispatch.Pull.RuntimeApiDirectory>().MailboxOf(PullFunction.Name);
        await Eventually.HoldsAsync(() => mailbox.QueuedInvocations == 1);
        using var initError = new HttpRequestMessage(HttpMethod.Post, "init/error") { Content = new StringContent(body) };
        if (typeHeader is not null)
        {
            initError.Headers.Add("Lambda-Runtime-Function-Error-Type", typeHeader);
        }

        using var reported = await runtime.SendAsync(initError);
        var document = JsonDocument.Parse(await (await invoked.WaitAsync(Bound)).Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.Accepted, reported.StatusCode);
        Assert.Equal(message, document.GetProperty("errorMessage").GetString());
        Assert.Equal(type, document.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task AnInitErrorThatStalls_FailsTheWaitingInvocations_OnceTheInitializationTimeoutPasses()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await LambdaFunction.StartAsync(c => c
            .Set("Gateway:Functions:echo:Timeout", "01:00:00")
            .Set("Gateway:Functions:echo:InitializationTimeout", "00:00:05"), time);
        var invoked = gateway.Client.PostAsync(InvokePath, new StringContent("{}"));
        var mailbox = gateway.Services.GetRequiredService<FcGateway.Dispatch.Pull.RuntimeApiDirectory>().MailboxOf(PullFunction.Name);
        await Eventually.HoldsAsync(() => mailbox.QueuedInvocations == 1);

        using var stalled = await LambdaFunction.StartChunkedAsync(gateway.RuntimeApi(), "init/error", "{\"errorMessage\":\"no config");
        await Eventually.HoldsAsync(async () =>
        {
            time.Advance(TimeSpan.FromSeconds(1));
            return await Task.WhenAny(invoked, Task.Delay(50)) == invoked;
        });

        var response = await invoked;
        Assert.Equal("UnhandledInvocationError", response.Headers.GetValues("X-Fc-Error-Type").Single());
        Assert.Contains("no config", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
