using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.RuntimeApi;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// Triggers of <c>AuthType: aws_iam</c>, Lambda's function URLs with <c>AWS_IAM</c>: requests signed with AWS Signature
/// Version 4. The signatures are botocore's (<c>SigV4Auth</c>, service lambda, region cn-test) for these requests at
/// 2026-12-03T12:00:00Z, host <c>fn.example:8080</c>, key AKIDEXAMPLE with AWS's documentation example secret.
/// </summary>
public sealed class TriggerAwsSignatureTests
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string SignedBody = """{"hello":"iam"}""";

    /// <summary><c>POST /echo/data?x=1</c> with <see cref="SignedBody"/> as <c>application/json</c>.</summary>
    private const string SignedPost =
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261203/cn-test/lambda/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=ce54fee1b01b9ba48bb436a1d214412c9ef311221d598f6d3d4d5df777ad64a0";

    /// <summary><c>GET /echo/</c>, no body.</summary>
    private const string SignedGet =
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261203/cn-test/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=aec663ec819a85f82a67a2f42400089270c1ba42563fd809d0571e31e13b5e09";

    /// <summary><c>GET /echo//data/</c>, no body: the signers sign the path with its empty segment removed (<c>/echo/data/</c>).</summary>
    private const string SignedGetWithEmptySegment =
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261203/cn-test/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=e236f5cbe6ad7f2aff68f9a796c26a6b2f80cccdbc7f5da602257b50a1b782b6";

    /// <summary><c>GET /echo/q</c> with botocore's <c>params={'x': '1 2'}</c>: signed as <c>x=1%202</c>, sent as <c>?x=1+2</c>.</summary>
    private const string SignedGetWithSpaceInQuery =
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261203/cn-test/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=f3c999239afaba7eb692961bae466b613a3432f167965504865c44eff6a33ab3";

    private static readonly DateTimeOffset SigningTime = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ARequestSignedByBotocore_ReachesTheFunction_WithItsBody()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartAsync(worker);

        using var response = await gateway.Client.SendAsync(Post(SignedBody, SignedPost));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SignedBody, Assert.Single(worker.Received).Event.GetProperty("body").GetString());
    }

    [Fact]
    public async Task ASignedGetWithoutBody_ReachesTheFunction()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartAsync(worker);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo/");
        Sign(request, SignedGet);
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Lambda's Invoke API requires these signed; a function URL ignores them, so they are no reason to refuse.</summary>
    [Theory]
    [InlineData("X-Amz-Invocation-Type", "Event")]
    [InlineData("X-Amz-Log-Type", "Tail")]
    [InlineData("X-Amz-Client-Context", "e30=")]
    public async Task AnUnsignedInvokeApiHeader_DoesNotMakeASignedRequestRefused(string header, string value)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartAsync(worker);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo/");
        Sign(request, SignedGet);
        request.Headers.TryAddWithoutValidation(header, value);
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>
    /// What only IAM knows of the caller is left out, not null: Lambda always sends <c>callerId</c>, <c>userArn</c> and
    /// <c>userId</c> as strings, and Powertools' parser (<c>LambdaFunctionUrlSchema</c>: optional strings) refuses a null.
    /// </summary>
    [Fact]
    public async Task ALambdaFunction_IsToldTheCallersAccessKey_InTheEventsIamAuthorizer()
    {
        using var requestContext = await SignedLambdaRequestContextAsync(payloadFormat: "2.0", output: "\"ok\"");

        var iam = requestContext.RootElement.GetProperty("authorizer").GetProperty("iam");
        Assert.Equal("AKIDEXAMPLE", iam.GetProperty("accessKey").GetString());
        Assert.Equal("1234567890", iam.GetProperty("accountId").GetString());
        Assert.Equal(JsonValueKind.Null, iam.GetProperty("cognitoIdentity").ValueKind);
        Assert.Equal(JsonValueKind.Null, iam.GetProperty("principalOrgId").ValueKind);
        Assert.False(iam.TryGetProperty("callerId", out _));
        Assert.False(iam.TryGetProperty("userArn", out _));
        Assert.False(iam.TryGetProperty("userId", out _));
    }

    [Fact]
    public async Task ALambdaFunctionOfPayloadFormat1_IsToldTheCallersAccessKey_InTheEventsIdentity()
    {
        using var requestContext = await SignedLambdaRequestContextAsync(payloadFormat: "1.0", output: """{"statusCode":200,"body":"ok"}""");

        var identity = requestContext.RootElement.GetProperty("identity");
        Assert.Equal("AKIDEXAMPLE", identity.GetProperty("accessKey").GetString());
        Assert.Equal("1234567890", identity.GetProperty("accountId").GetString());
    }

    [Fact]
    public async Task APathWithAnEmptySegment_IsCheckedAsTheSignersNormalizeIt()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartAsync(worker);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo//data/");
        Sign(request, SignedGetWithEmptySegment);
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AQuerySpaceSentAsPlus_IsCheckedAsASpace()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartAsync(worker);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo/q?x=1+2");
        Sign(request, SignedGetWithSpaceInQuery);
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AWebFunction_GetsTheSignedBody()
    {
        await using var worker = await TestWorker.StartAsync((context, received) => context.Response.Body.WriteAsync(received.Body).AsTask());
        await using var gateway = await StartAsync(worker, web: true);

        using var response = await gateway.Client.SendAsync(Post(SignedBody, SignedPost));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SignedBody, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("another body", "SignatureNotMatch")]
    [InlineData("another secret", "SignatureNotMatch")]
    [InlineData("another region", "SignatureNotMatch")]
    [InlineData("an unknown key", "SignatureNotMatch")]
    [InlineData("no signature", "AccessDenied")]
    [InlineData("a bearer token", "AccessDenied")]
    public async Task ARequestNotSignedAsSent_Is403_AndNothingRuns(string kind, string errorCode)
    {
        await using var worker = await TestWorker.StartAsync((context, received) => context.Response.Body.WriteAsync(received.Body).AsTask());
        await using var gateway = await StartAsync(worker, web: kind == "another body");
        var (body, authorization) = kind switch
        {
            "another body" => ("""{"hello":"forged"}""", SignedPost),
            "another secret" => (SignedBody, SignedPost[..^8] + "00000000"),
            "another region" => (SignedBody, SignedPost.Replace("/cn-test/", "/us-east-1/", StringComparison.Ordinal)),
            "an unknown key" => (SignedBody, SignedPost.Replace("AKIDEXAMPLE", "AKIDUNKNOWN", StringComparison.Ordinal)),
            "a bearer token" => (SignedBody, "Bearer " + Secret),
            _ => (SignedBody, null),
        };

        using var response = await gateway.Client.SendAsync(Post(body, authorization));

        await ErrorPathTests.AssertGatewayErrorAsync(response, HttpStatusCode.Forbidden, errorCode);
        Assert.DoesNotContain(Secret, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(worker.Received);
    }

    [Fact]
    public async Task ASignatureMoreThan5MinutesOld_HasExpired()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartAsync(worker, SigningTime.AddMinutes(6));

        using var response = await gateway.Client.SendAsync(Post(SignedBody, SignedPost));

        await ErrorPathTests.AssertGatewayErrorAsync(response, HttpStatusCode.Forbidden, "SignatureNotMatch");
        Assert.Empty(worker.Received);
    }

    /// <summary>
    /// Sends the signed GET to an <c>aws_iam</c> trigger of a Lambda function of <paramref name="payloadFormat"/>, which
    /// answers <paramref name="output"/>; returns the <c>requestContext</c> of the event it got, once the client had 200.
    /// </summary>
    private static async Task<JsonDocument> SignedLambdaRequestContextAsync(string payloadFormat, string output)
    {
        await using var gateway = await LambdaFunction.StartAsync(
            c => c.Set("Gateway:Region", "cn-test").Set("Gateway:InvokeApi:AwsAccessKeys:AKIDEXAMPLE", Secret).Set("Gateway:Triggers:echo:AuthType", "aws_iam")
                .Set("Gateway:Functions:echo:PayloadFormatVersion", payloadFormat),
            new FakeTimeProvider(SigningTime));
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo/");
        Sign(request, SignedGet);

        var triggered = gateway.Client.SendAsync(request);
        var (_, payload) = await LambdaFunction.AnswerNextAsync(runtime, output);
        using var response = await triggered;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var @event = JsonDocument.Parse(payload);
        return JsonDocument.Parse(@event.RootElement.GetProperty("requestContext").GetRawText());
    }

    /// <summary>
    /// The body's hash reads every byte of it: with inline socket completions, a body of 64 KiB or more is hashed on the
    /// thread pool, not on the thread that polls its socket (<see cref="RequestsOnThreadsOfTheirOwn"/>).
    /// </summary>
    [Theory]
    [InlineData(64 * 1024, true)]
    [InlineData(1024, false)]
    public async Task ALargeBody_IsJudgedOffTheRequestsThread_ASmallOneWhereItCame(int length, bool onThePool)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        var threads = new RequestsOnThreadsOfTheirOwn();
        var config = new GatewayConfiguration().WithFunction("echo", worker.Url)
            .Set("Gateway:Region", "cn-test")
            .Set("Gateway:InvokeApi:AwsAccessKeys:AKIDEXAMPLE", Secret)
            .Set("Gateway:Triggers:echo:AuthType", "aws_iam");
        await using var gateway = await TestGateway.StartAsync(
            config.Values, builder => builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(SigningTime)).AddSingleton<IStartupFilter>(threads));

        using var response = await gateway.Client.SendAsync(Post(new string('x', length), SignedPost));

        await ErrorPathTests.AssertGatewayErrorAsync(response, HttpStatusCode.Forbidden, "SignatureNotMatch");
        Assert.Equal([onThePool], threads.ResponsesStartedOnThePool);
    }

    private static Task<TestGateway> StartAsync(TestWorker worker, DateTimeOffset? now = null, bool web = false) =>
        TestGateway.ForWorkerAsync(worker, configure: c =>
        {
            c.Set("Gateway:Region", "cn-test");
            c.Set("Gateway:InvokeApi:AwsAccessKeys:AKIDEXAMPLE", Secret);
            c.Set("Gateway:Triggers:echo:AuthType", "aws_iam");
            if (web)
            {
                c.Set("ReverseProxy:Routes:echo:Metadata:TriggerMode", "web");
            }
        }, timeProvider: new FakeTimeProvider(now ?? SigningTime));

    /// <summary>The POST botocore signed, sending <paramref name="body"/>.</summary>
    private static HttpRequestMessage Post(string body, string? authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/echo/data?x=1") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        Sign(request, authorization);
        return request;
    }

    private static void Sign(HttpRequestMessage request, string? authorization)
    {
        request.Headers.Host = "fn.example:8080";
        request.Headers.TryAddWithoutValidation("X-Amz-Date", "20261203T120000Z");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
    }
}
