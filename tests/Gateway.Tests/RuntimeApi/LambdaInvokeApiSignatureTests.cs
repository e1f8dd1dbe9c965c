using System.Net;
using System.Text.Json;
using FcGateway.RuntimeApi;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.RuntimeApi;

/// <summary>
/// Lambda's Invoke API with <c>Gateway:InvokeApi:AwsAccessKeys</c>: calls signed with AWS Signature Version 4. The
/// signatures are botocore's (the AWS CLI's signer) for these requests at 2026-12-03T12:00:00Z, host
/// <c>lambda.example:8080</c>, region cn-test, key AKIDEXAMPLE with AWS's documentation example secret.
/// </summary>
public sealed class LambdaInvokeApiSignatureTests
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string InvokePath = "/2015-03-31/functions/echo/invocations";
    private const string SignedPayload = """{"a":1}""";
    private const string SignedInvoke =
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261203/cn-test/lambda/aws4_request, SignedHeaders=host;x-amz-date;x-amz-invocation-type, Signature=0bc474700a8263fd07d625a7ffe8f3d6bd688eaf043583b5c4499355ad2be245";

    private const string InvalidSignature = "InvalidSignatureException";

    private static readonly DateTimeOffset SignedAt = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ACallSignedWithAConfiguredKey_RunsTheFunction()
    {
        await using var gateway = await StartAsync(new FakeTimeProvider(SignedAt.AddMinutes(3)));
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());

        var invoked = gateway.Client.SendAsync(Signed(InvokePath, SignedPayload, SignedInvoke, ("X-Amz-Invocation-Type", "RequestResponse")));
        var next = await LambdaFunction.AnswerNextAsync(runtime, "\"signed\"");
        using var response = await invoked.WaitAsync(Bound);

        Assert.Equal(SignedPayload, next.Payload);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"signed\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AnArnWithAQualifierInTheQuery_IsSignedAsEncodedAgain()
    {
        const string Authorization =
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261203/cn-test/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=db4d6137fa7625015f394424f3dd9ff6ebdadda0058bc488b76fc9d6271708bc";
        await using var gateway = await StartAsync(new FakeTimeProvider(SignedAt));
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());

        var invoked = gateway.Client.SendAsync(Signed(
            "/2015-03-31/functions/arn%3Aaws%3Alambda%3Acn-test%3A1234567890%3Afunction%3Aecho/invocations?Qualifier=%24LATEST", "{}", Authorization));
        await LambdaFunction.AnswerNextAsync(runtime, "{}");
        using var response = await invoked.WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ABodyOtherThanTheOneSigned_IsRefused_AndRunsNothing()
    {
        await using var gateway = await StartAsync(new FakeTimeProvider(SignedAt));

        using var response = await gateway.Client.SendAsync(Signed(InvokePath, """{"a":2}""", SignedInvoke, ("X-Amz-Invocation-Type", "RequestResponse")));

        await AssertRefusedAsync(response, "does not match the signature you provided", InvalidSignature);
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("Started instance", StringComparison.Ordinal));
    }

    /// <remarks>Before, the gateway took 15 minutes either side (FC's window, not AWS's).</remarks>
    [Theory]
    [InlineData(6)]
    [InlineData(-6)]
    public async Task ASignatureMoreThan5MinutesFromTheGatewaysTime_HasExpired(int minutes)
    {
        await using var gateway = await StartAsync(new FakeTimeProvider(SignedAt.AddMinutes(minutes)));

        using var response = await gateway.Client.SendAsync(Signed(InvokePath, SignedPayload, SignedInvoke, ("X-Amz-Invocation-Type", "RequestResponse")));

        await AssertRefusedAsync(response, "Signature expired", InvalidSignature);
    }

    [Theory]
    [InlineData("X-Amz-Invocation-Type", "Event")]
    [InlineData("X-Amz-Log-Type", "Tail")]
    [InlineData("X-Amz-Client-Context", "eyJjdXN0b20iOnsiYWRtaW4iOnRydWV9fQ==")]
    public async Task AnInvocationHeaderTheSignatureDoesNotCover_IsRefused_AndRunsNothing(string name, string value)
    {
        const string HostAndDateOnly =
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261203/cn-test/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=7c71ad3b2ea726bddfdad2148924eea44b87dfb9078f157355c14023d9388550";
        await using var gateway = await StartAsync(new FakeTimeProvider(SignedAt));

        using var response = await gateway.Client.SendAsync(Signed(InvokePath, SignedPayload, HostAndDateOnly, (name, value))).WaitAsync(Bound);

        await AssertRefusedAsync(response, $"The signature must cover {name}");
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("Started instance", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnUnknownFunction_IsNamedOnlyToACallWhoseSignatureHolds()
    {
        const string SignedForNope =
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261203/cn-test/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=e4e9e779b78d9599218d300d763014a566d553dd38a4ea5c0d79eb55c347fe1f";
        const string NopePath = "/2015-03-31/functions/nope/invocations";
        await using var gateway = await StartAsync(new FakeTimeProvider(SignedAt));

        using var signed = await gateway.Client.SendAsync(Signed(NopePath, SignedPayload, SignedForNope));
        using var forged = await gateway.Client.SendAsync(Signed(NopePath, SignedPayload, SignedInvoke, ("X-Amz-Invocation-Type", "RequestResponse")));
        using var forgedQualifier = await gateway.Client.SendAsync(Signed(InvokePath + "?Qualifier=7", SignedPayload, SignedInvoke, ("X-Amz-Invocation-Type", "RequestResponse")));

        Assert.Equal(HttpStatusCode.NotFound, signed.StatusCode);
        await AssertRefusedAsync(forged, "does not match the signature you provided", InvalidSignature);
        await AssertRefusedAsync(forgedQualifier, "does not match the signature you provided", InvalidSignature);
    }

    [Fact]
    public async Task ACredentialScopedToNoDate_IsRefused_ThoughSignedWithTheSecret()
    {
        const string NoDate =
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE//cn-test/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=4b6fb2692c5df303be0a7cda58434a7a31bb1a9a043663e76a252d17fca355bf";
        await using var gateway = await StartAsync(new FakeTimeProvider(SignedAt));

        using var response = await gateway.Client.SendAsync(Signed(InvokePath, SignedPayload, NoDate)).WaitAsync(Bound);

        await AssertRefusedAsync(response, "on the credential's date");
    }

    [Fact]
    public async Task AHeaderSignedTwice_IsRefused_ThoughSignedWithTheSecret()
    {
        // No signer lists a header twice; each repetition of a long header would be hashed again, a few kilobytes of
        // request making megabytes of canonical request. The HMAC is made by hand, with the secret.
        const string DateTwice =
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261203/cn-test/lambda/aws4_request, SignedHeaders=host;x-amz-date;x-amz-date, Signature=86bbfc347fd30fad93dc1d99dba5c49c5bb08d7c783523373f2405c5ccdffc21";
        await using var gateway = await StartAsync(new FakeTimeProvider(SignedAt));

        using var response = await gateway.Client.SendAsync(Signed(InvokePath, SignedPayload, DateTwice)).WaitAsync(Bound);

        await AssertRefusedAsync(response, "not a valid AWS Signature Version 4 header");
    }

    /// <summary>
    /// Over HTTP/2 the AWS SDK for JavaScript (<c>NodeHttp2Handler</c>) signs <c>:authority</c> in place of <c>host</c>;
    /// this signature is its signer's (<c>@smithy/signature-v4</c>) for a DryRun with that authority.
    /// </summary>
    private const string SignedOverHttp2 =
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261203/cn-test/lambda/aws4_request, SignedHeaders=:authority;x-amz-date;x-amz-invocation-type, Signature=d72692604c714463b330610408280f9f4cf9a93792b1f976a5377b39b701699c";

    [Fact]
    public async Task OverHttp2_ASignatureCoveringTheAuthority_HoldsForThatAuthorityOnly()
    {
        await using var gateway = await StartAsync(new FakeTimeProvider(SignedAt), c => c
            .Set("Kestrel:Endpoints:h2c:Url", "http://127.0.0.1:0")
            .Set("Kestrel:Endpoints:h2c:Protocols", "Http2"));
        var signed = OverHttp2(Signed(InvokePath, "{}", SignedOverHttp2, ("X-Amz-Invocation-Type", "DryRun")));
        var elsewhere = OverHttp2(Signed(InvokePath, "{}", SignedOverHttp2, ("X-Amz-Invocation-Type", "DryRun")));
        elsewhere.Headers.Host = "other.example:8080";

        using var checkedOnly = await gateway.Client.SendAsync(signed);
        using var sentElsewhere = await gateway.Client.SendAsync(elsewhere);

        Assert.Equal((HttpVersion.Version20, HttpStatusCode.NoContent), (checkedOnly.Version, checkedOnly.StatusCode));
        await AssertRefusedAsync(sentElsewhere, "does not match the signature you provided", InvalidSignature);
    }

    [Fact]
    public async Task OverHttp1_ASignatureCoveringAnAuthorityButNotTheHost_IsRefused()
    {
        await using var gateway = await StartAsync(new FakeTimeProvider(SignedAt));

        using var response = await gateway.Client.SendAsync(Signed(InvokePath, "{}", SignedOverHttp2, ("X-Amz-Invocation-Type", "DryRun")));

        await AssertRefusedAsync(response, "The signature must cover host");
    }

    [Fact]
    public async Task AKeyNotConfigured_IsRefused()
    {
        const string OtherKey =
            "AWS4-HMAC-SHA256 Credential=AKIDOTHER/20261203/cn-test/lambda/aws4_request, SignedHeaders=host;x-amz-date;x-amz-invocation-type, Signature=0bc474700a8263fd07d625a7ffe8f3d6bd688eaf043583b5c4499355ad2be245";
        await using var gateway = await StartAsync(new FakeTimeProvider(SignedAt));

        using var response = await gateway.Client.SendAsync(Signed(InvokePath, SignedPayload, OtherKey, ("X-Amz-Invocation-Type", "RequestResponse")));

        await AssertRefusedAsync(response, "its access key is not one of Gateway:InvokeApi:AwsAccessKeys");
    }

    [Theory]
    [InlineData("/cn-test/lambda/", "/us-east-1/lambda/")]
    [InlineData("/cn-test/lambda/", "/cn-test/s3/")]
    public async Task AnotherRegionsOrServicesScope_IsAnInvalidSignature_SayingWhatTheScopeMustBe(string scope, string other)
    {
        await using var gateway = await StartAsync(new FakeTimeProvider(SignedAt));

        using var response = await gateway.Client.SendAsync(
            Signed(InvokePath, SignedPayload, SignedInvoke.Replace(scope, other, StringComparison.Ordinal), ("X-Amz-Invocation-Type", "RequestResponse")));

        await AssertRefusedAsync(response, "Credential should be scoped to region cn-test and service lambda", InvalidSignature);
    }

    [Fact]
    public async Task WithKeysConfigured_AnUnsignedCall_IsRefused_EvenFromLoopback()
    {
        await using var gateway = await StartAsync(new FakeTimeProvider(SignedAt));

        using var response = await gateway.Client.PostAsync(InvokePath, new StringContent("{}"));

        await AssertRefusedAsync(response, "Sign the call with a key of Gateway:InvokeApi:AwsAccessKeys");
    }

    [Fact]
    public async Task ASignedDryRun_Is204_AndATamperedOneIsRefused()
    {
        const string DryRun =
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261203/cn-test/lambda/aws4_request, SignedHeaders=host;x-amz-date;x-amz-invocation-type, Signature=793dffe796c5e28257bcecd36eacff4235d9e2cc1c8ff6ece4cfabdadde23458";
        await using var gateway = await StartAsync(new FakeTimeProvider(SignedAt));

        using var checkedOnly = await gateway.Client.SendAsync(Signed(InvokePath, "{}", DryRun, ("X-Amz-Invocation-Type", "DryRun")));
        using var tampered = await gateway.Client.SendAsync(Signed(InvokePath, "{ }", DryRun, ("X-Amz-Invocation-Type", "DryRun")));

        Assert.Equal(HttpStatusCode.NoContent, checkedOnly.StatusCode);
        await AssertRefusedAsync(tampered, "does not match the signature you provided", InvalidSignature);
    }

    [Fact]
    public async Task TheKeys_DoNotApplyToFcsInvocationApi_WhichStaysLoopbackOnly()
    {
        await using var gateway = await StartAsync(new FakeTimeProvider(SignedAt));
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());

        var invoked = gateway.Client.PostAsync("/2023-03-30/functions/echo/invocations", new StringContent("{}"));
        await LambdaFunction.AnswerNextAsync(runtime, "{}");
        using var response = await invoked.WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static Task<TestGateway> StartAsync(TimeProvider time, Action<GatewayConfiguration>? configure = null) =>
        LambdaFunction.StartAsync(
            c =>
            {
                c.Set("Gateway:InvokeApi:AwsAccessKeys:AKIDEXAMPLE", Secret);
                configure?.Invoke(c);
            },
            time);

    /// <summary>The request botocore signed: its host, date and headers as signed, the body given.</summary>
    private static HttpRequestMessage Signed(string pathAndQuery, string body, string authorization, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, pathAndQuery) { Content = new StringContent(body, null, "application/json") };
        request.Headers.Host = "lambda.example:8080";
        request.Headers.TryAddWithoutValidation("X-Amz-Date", "20261203T120000Z");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    private static HttpRequestMessage OverHttp2(HttpRequestMessage request)
    {
        request.Version = HttpVersion.Version20;
        request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        return request;
    }

    /// <param name="response">The answer.</param>
    /// <param name="message">A part of its message.</param>
    /// <param name="errorType">Lambda's type: InvalidSignatureException for a signature that does not hold or has expired.</param>
    private static async Task AssertRefusedAsync(HttpResponseMessage response, string message, string errorType = "UnrecognizedClientException")
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(errorType, response.Headers.GetValues("x-amzn-ErrorType").Single());
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(message, body.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
