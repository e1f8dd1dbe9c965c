using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using static Gateway.Tests.Infrastructure.AcsTestKey;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// FC's invocation API with <c>Gateway:AccessKeys</c>: InvokeFunction signed as FC's SDKs sign it (<c>ACS3-HMAC-SHA256</c>
/// over host, content type, the <c>x-acs-*</c> headers and the body's hash). The signature is the official signer's
/// (<c>@alicloud/openapi-util</c>) for <see cref="SignedBody"/> at 2026-12-03T12:00:00Z.
/// </summary>
public sealed class FcInvokeApiSignatureTests
{
    private const string InvokePath = "/2023-03-30/functions/echo/invocations";
    private const string SignedBody = """{"from":"sdk"}""";

    private const string SdkSignature =
        "ACS3-HMAC-SHA256 Credential=LTAI5tExampleKeyId,SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=e40900bb2e9e10b8f47b8a12973865fcb677705c637fd9cc5bac088577e071f9";

    [Fact]
    public async Task ACallSignedAsTheSdksSignIt_RunsTheFunction()
    {
        await using var worker = await TestWorker.ReturningAsync("signed output");
        await using var gateway = await StartAsync(worker);

        using var response = await gateway.Client.SendAsync(Signed(SignedBody, SdkSignature));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("signed output", await response.Content.ReadAsStringAsync());
        Assert.Equal(SignedBody, Encoding.UTF8.GetString(Assert.Single(worker.Received).Body));
    }

    [Theory]
    [InlineData("Sync")]
    [InlineData("Async")]
    public async Task ACapturedCall_ReplayedWithItsSignedNonce_IsRefused_AndRunsOnce(string replayedAs)
    {
        // FC's SDKs sign a fresh x-acs-signature-nonce into every call, and Alibaba Cloud's API refuses one used before:
        // a captured call cannot be run again, nor as another invocation type (x-fc-invocation-type is not signed).
        await using var worker = await TestWorker.ReturningAsync("signed output");
        await using var gateway = await StartAsync(worker);

        using var first = await gateway.Client.SendAsync(Signed(SignedBody, SdkSignature));
        using var replay = Signed(SignedBody, SdkSignature);
        replay.Headers.TryAddWithoutValidation("x-fc-invocation-type", replayedAs);
        using var replayed = await gateway.Client.SendAsync(replay);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await ErrorPathTests.AssertGatewayErrorAsync(replayed, HttpStatusCode.Forbidden, "SignatureNotMatch");
        Assert.Contains("x-acs-signature-nonce", await replayed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(worker.Received);
    }

    [Theory]
    [InlineData("another body", "SignatureNotMatch")]
    [InlineData("another secret", "SignatureNotMatch")]
    [InlineData("an unknown key", "InvalidAccessKeyID")]
    public async Task ACallNotSignedAsSent_Is403_AndRunsNothing(string kind, string errorCode)
    {
        await using var worker = await TestWorker.ReturningAsync("signed output");
        await using var gateway = await StartAsync(worker);
        var (body, authorization) = kind switch
        {
            "another body" => ("""{"from":"forger"}""", SdkSignature),
            "another secret" => (SignedBody, SdkSignature[..^8] + "00000000"),
            _ => (SignedBody, SdkSignature.Replace(KeyId, "LTAI5tUnknown", StringComparison.Ordinal)),
        };

        using var response = await gateway.Client.SendAsync(Signed(body, authorization));

        await ErrorPathTests.AssertGatewayErrorAsync(response, HttpStatusCode.Forbidden, errorCode);
        Assert.Empty(worker.Received);
    }

    [Fact]
    public async Task ACallWhoseSignatureLeavesTheBodyOut_IsRefused_AndRunsNothing()
    {
        // A trigger's documented form (x-acs-date alone, an empty payload line), made by the official signer: on the API
        // it would let anyone holding the call send it with another body. FC's SDKs always sign the body's hash.
        const string BodyLeftOut =
            "ACS3-HMAC-SHA256 Credential=LTAI5tExampleKeyId,SignedHeaders=x-acs-date,Signature=d9be52da3bb6c139deb79522891072cfa25cf1d6a3ad1ab22bc3a0ca245580cc";
        await using var worker = await TestWorker.ReturningAsync("signed output");
        await using var gateway = await StartAsync(worker);

        using var request = new HttpRequestMessage(HttpMethod.Post, InvokePath) { Content = new StringContent("""{"from":"anyone"}""") };
        request.Headers.TryAddWithoutValidation("x-acs-date", "2026-12-03T12:00:00Z");
        request.Headers.TryAddWithoutValidation("Authorization", BodyLeftOut);
        using var response = await gateway.Client.SendAsync(request);

        await ErrorPathTests.AssertGatewayErrorAsync(response, HttpStatusCode.Forbidden, "SignatureNotMatch");
        Assert.Contains("x-acs-content-sha256", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(worker.Received);
    }

    [Fact]
    public async Task ACallWhoseSignatureLeavesTheNonceOut_IsRefused_AndRunsNothing()
    {
        // The SDK's form without x-acs-signature-nonce, made by the official signer: nothing would tell its replays apart.
        const string NonceLeftOut =
            "ACS3-HMAC-SHA256 Credential=LTAI5tExampleKeyId,SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-version,Signature=9bfa3ecfc1825510d9c47f889d301fbfb1a50249a4b76e376504b40e0a8477aa";
        await using var worker = await TestWorker.ReturningAsync("signed output");
        await using var gateway = await StartAsync(worker);

        using var request = Signed(SignedBody, NonceLeftOut);
        request.Headers.Remove("x-acs-signature-nonce");
        using var response = await gateway.Client.SendAsync(request);

        await ErrorPathTests.AssertGatewayErrorAsync(response, HttpStatusCode.Forbidden, "SignatureNotMatch");
        Assert.Contains("x-acs-signature-nonce", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(worker.Received);
    }

    [Fact]
    public async Task WithAccessKeys_AnUnsignedCallWithoutToken_IsTold_HowToSign()
    {
        await using var worker = await TestWorker.ReturningAsync("signed output");
        await using var gateway = await StartAsync(worker);

        using var response = await gateway.Client.PostAsync(InvokePath, new StringContent(SignedBody));

        await ErrorPathTests.AssertGatewayErrorAsync(response, HttpStatusCode.Unauthorized, "AccessDenied");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("Gateway:AccessKeys (ACS3-HMAC-SHA256", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Bearer", body, StringComparison.Ordinal);
        Assert.Equal("ACS3-HMAC-SHA256", response.Headers.WwwAuthenticate.ToString());
        Assert.Empty(worker.Received);
    }

    private static Task<TestGateway> StartAsync(TestWorker worker) =>
        TestGateway.ForWorkerAsync(worker, configure: c => c.WithAccessKey(), timeProvider: new FakeTimeProvider(SigningTime));

    /// <summary>The call as the SDK signed it — its host, content type and <c>x-acs-*</c> headers — sending <paramref name="body"/>.</summary>
    private static HttpRequestMessage Signed(string body, string authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, InvokePath) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Headers.Host = "fc.example:8080";
        request.Headers.TryAddWithoutValidation("x-acs-action", "InvokeFunction");
        request.Headers.TryAddWithoutValidation("x-acs-version", "2023-03-30");
        request.Headers.TryAddWithoutValidation("x-acs-date", SignedAt);
        request.Headers.TryAddWithoutValidation("x-acs-content-sha256", "f79e6a1c8600f99a6ec0be43568cf2c2ec80e57225d15003fe23349d77ad4a95");
        request.Headers.TryAddWithoutValidation("x-acs-signature-nonce", "5d7e");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return request;
    }
}
