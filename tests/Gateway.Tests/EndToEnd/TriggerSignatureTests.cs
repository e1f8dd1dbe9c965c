using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using static Gateway.Tests.Infrastructure.AcsTestKey;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// Triggers of <c>AuthType: function</c>: FC's signature authentication (<c>ACS3-HMAC-SHA256</c>). The signatures are
/// the official signer's (<c>@alicloud/openapi-util</c>'s <c>getAuthorization</c>) for these requests at
/// 2026-12-03T12:00:00Z, with <see cref="AcsTestKey"/>: FC's documented way (the body
/// not signed, <c>x-acs-security-token</c> empty) and the SDKs' (host, content type and the body's hash signed).
/// </summary>
public sealed class TriggerSignatureTests
{

    /// <summary><c>POST /echo/hello?foo=bar&amp;a=b+c</c>, x-acs-date and an empty x-acs-security-token signed, the body not.</summary>
    private const string DocumentedForm =
        "ACS3-HMAC-SHA256 Credential=LTAI5tExampleKeyId,SignedHeaders=x-acs-date;x-acs-security-token,Signature=37e0d8c11ffc6a722bf9a2d82dc070683df3b196a61daaf930db95cf38b896d5";

    /// <summary>
    /// <c>POST /echo/data</c> with <see cref="SignedBody"/>, host <c>fc.example:8080</c>, its content type and hash signed
    /// (<see cref="SignedBodyHash"/>, x-acs-date <see cref="SignedAt"/>, x-acs-signature-nonce <c>8f1c2a</c>).
    /// </summary>
    internal const string SdkForm =
        "ACS3-HMAC-SHA256 Credential=LTAI5tExampleKeyId,SignedHeaders=content-type;host;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce,Signature=b20e5676867870b93d5ffe801dd792e3acaba0f52a2cee53a77b33412d4db367";

    /// <summary>
    /// The documented form's request with x-acs-date listed (and canonicalized) twice, HMAC made by hand with the secret:
    /// no signer writes it, and each repetition of a long header would be hashed again (a few kilobytes of request
    /// making megabytes of canonical request for anyone who knows a key id).
    /// </summary>
    private const string SignedTwice =
        "ACS3-HMAC-SHA256 Credential=LTAI5tExampleKeyId,SignedHeaders=x-acs-date;x-acs-date;x-acs-security-token,Signature=b2e7738f804c8677ae80f89967041734d6675cdab87d8bdfa273887c1a74fc70";

    /// <summary>The documented form's request with its signed headers listed out of order, HMAC made by hand with the secret.</summary>
    private const string OutOfOrder =
        "ACS3-HMAC-SHA256 Credential=LTAI5tExampleKeyId,SignedHeaders=x-acs-security-token;x-acs-date,Signature=c0981bcddd5ff7322852640a53d018ff18938bb207a6f183bcd2c96e1138bfc7";

    private const string SignedBody = """{"hello":"signed"}""";
    internal const string SignedBodyHash = "d40602f60b984932d853b5d38dc950005396146f421d96b85cdfe6e997c5cb82";

    [Fact]
    public async Task FcsDocumentedForm_ReachesTheFunction()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartAsync(worker, SigningTime.AddMinutes(3));

        using var response = await gateway.Client.SendAsync(Documented("/echo/hello?foo=bar&a=b+c", DocumentedForm, "any body: it is not signed"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(worker.Received).Event;
        Assert.Equal("/echo/hello", received.GetProperty("rawPath").GetString());
    }

    [Fact]
    public async Task AGetWithoutQuery_ReachesTheFunction()
    {
        const string Get =
            "ACS3-HMAC-SHA256 Credential=LTAI5tExampleKeyId,SignedHeaders=x-acs-date;x-acs-security-token,Signature=5401bbb334cdd8de090bb0b8bf3d019e7899b7ecf8ae813a34975c8d4c2903e8";
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartAsync(worker, SigningTime);

        using var request = Documented("/echo/", Get, body: null);
        request.Method = HttpMethod.Get;
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ADollarInThePath_SignedAsFcsSignerEncodesIt_ReachesTheFunction()
    {
        const string Dollar =
            "ACS3-HMAC-SHA256 Credential=LTAI5tExampleKeyId,SignedHeaders=x-acs-date,Signature=3c98e2b2a42fbfae920ba2607886437037b144a8922b9439b422367973747b28";
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartAsync(worker, SigningTime);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo/price$");
        request.Headers.TryAddWithoutValidation("x-acs-date", SignedAt);
        request.Headers.TryAddWithoutValidation("Authorization", Dollar);
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>
    /// Requests signed by FC's Python signer (<c>alibabacloud_openapi_util</c>'s <c>get_authorization</c>), which spells
    /// two things its Node.js, Go and Java counterparts do not: a parameter with an empty value is its name alone
    /// (<c>empty&amp;foo=bar</c>, not <c>empty=&amp;foo=bar</c>), and the path is percent-encoded but for <c>/</c> and the
    /// unreserved characters (<c>quote(path, safe='/~')</c>: <c>/echo/a%3Ab%40c%2Cd</c>).
    /// </summary>
    [Theory]
    [InlineData("POST", "/echo/hello?foo=bar&empty=", "2da852156b3a2d8df5b3187c35b8e198d02c7b4e7d266c1505b5ebf9c69b38cd")]
    [InlineData("GET", "/echo/a:b@c,d", "09f7f050a2800a31f0f35592b4565a9a795068b42bbe159afb081bce70aa74a3")]
    [InlineData("GET", "/echo/it's(1)+2?flag", "d5fcb62e0b6d2aeecd1d01fa8c273ba09b59c151eb4267501914eab2e458392f")]
    public async Task ARequestSignedByFcsPythonSigner_ReachesTheFunction(string method, string pathAndQuery, string signature)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartAsync(worker, SigningTime);

        using var request = Documented(pathAndQuery,
            $"ACS3-HMAC-SHA256 Credential={KeyId},SignedHeaders=x-acs-date;x-acs-security-token,Signature={signature}", body: null);
        request.Method = new HttpMethod(method);
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(worker.Received);
    }

    /// <summary>
    /// Python's spelling is taken for the path the request names: the one signed for <c>/echo/a%2520b</c> (a literal
    /// <c>%20</c> in the name) does not hold for <c>/echo/a%20b</c> (a space), though quoting the latter as sent would
    /// spell the former.
    /// </summary>
    [Fact]
    public async Task ASignatureForAnotherPath_DoesNotHold_InPythonsSpellingEither()
    {
        const string ForLiteralPercent =
            "ACS3-HMAC-SHA256 Credential=LTAI5tExampleKeyId,SignedHeaders=x-acs-date;x-acs-security-token,Signature=046ddd488e5c1fd35508a5b0fb1f0bf05c7dbba5fe249a50fdd4d9b31d8b5897";
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartAsync(worker, SigningTime);

        using var request = Documented("/echo/a%20b", ForLiteralPercent, body: null);
        request.Method = HttpMethod.Get;
        using var response = await gateway.Client.SendAsync(request);

        await ErrorPathTests.AssertGatewayErrorAsync(response, HttpStatusCode.Forbidden, "SignatureNotMatch");
        Assert.Empty(worker.Received);
    }

    [Fact]
    public async Task TheSdksForm_WithTheSignedBody_ReachesTheFunction()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartAsync(worker, SigningTime);

        using var response = await gateway.Client.SendAsync(WithSignedBody(SignedBody));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SignedBody, Assert.Single(worker.Received).Event.GetProperty("body").GetString());
    }

    [Fact]
    public async Task TheSdksForm_ReplayedWithItsSignedNonce_IsRefused_AndRunsOnce()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartAsync(worker, SigningTime);

        using var first = await gateway.Client.SendAsync(WithSignedBody(SignedBody));
        using var replayed = await gateway.Client.SendAsync(WithSignedBody(SignedBody));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await ErrorPathTests.AssertGatewayErrorAsync(replayed, HttpStatusCode.Forbidden, "SignatureNotMatch");
        Assert.Contains("x-acs-signature-nonce", await replayed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(worker.Received);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheSdksForm_WithAnotherBody_IsRefused_AndNothingRuns(bool web)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartAsync(worker, SigningTime, web);

        using var response = await gateway.Client.SendAsync(WithSignedBody("""{"hello":"forged"}"""));

        await ErrorPathTests.AssertGatewayErrorAsync(response, HttpStatusCode.Forbidden, "SignatureNotMatch");
        Assert.Contains("not the one signed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(worker.Received);
    }

    [Fact]
    public async Task AWebFunction_GetsTheSignedBody()
    {
        await using var worker = await TestWorker.StartAsync((context, received) => context.Response.Body.WriteAsync(received.Body).AsTask());
        await using var gateway = await StartAsync(worker, SigningTime, web: true);

        using var signed = await gateway.Client.SendAsync(WithSignedBody(SignedBody));

        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        Assert.Equal(SignedBody, await signed.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ASignedBodyHash_SentWithoutTheBody_IsRefused_AndNothingRuns(bool web)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartAsync(worker, SigningTime, web);

        using var request = WithSignedBody("");
        Assert.Equal(0, request.Content!.Headers.ContentLength);
        using var response = await gateway.Client.SendAsync(request);

        await ErrorPathTests.AssertGatewayErrorAsync(response, HttpStatusCode.Forbidden, "SignatureNotMatch");
        Assert.Empty(worker.Received);
    }

    public static TheoryData<string, string, string> Refusals() => new()
    {
        { "no signature", "AccessDenied", "signed requests only" },
        { "a bearer token", "AccessDenied", "signed requests only" },
        { "another secret", "SignatureNotMatch", "does not match" },
        { "another path", "SignatureNotMatch", "does not match" },
        { "another query", "SignatureNotMatch", "does not match" },
        { "a signed parameter sent again with another value", "SignatureNotMatch", "names a parameter more than once" },
        { "an unknown key", "InvalidAccessKeyID", "not one of Gateway:AccessKeys" },
        { "no date", "SignatureNotMatch", "x-acs-date" },
        { "an unsigned date", "SignatureNotMatch", "must cover x-acs-date" },
        { "a malformed header", "SignatureNotMatch", "not a valid ACS3-HMAC-SHA256 header" },
        { "a header signed twice", "SignatureNotMatch", "not a valid ACS3-HMAC-SHA256 header" },
        { "signed headers out of order", "SignatureNotMatch", "not a valid ACS3-HMAC-SHA256 header" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task ARequestNotSignedWithAConfiguredKey_Is403_AndNothingRuns(string kind, string errorCode, string message)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartAsync(worker, SigningTime);
        var (path, authorization) = kind switch
        {
            "no signature" => ("/echo/hello?foo=bar&a=b+c", null),
            "a bearer token" => ("/echo/hello?foo=bar&a=b+c", "Bearer " + Secret),
            "another secret" => ("/echo/hello?foo=bar&a=b+c", DocumentedForm[..^8] + "00000000"),
            "another path" => ("/echo/other?foo=bar&a=b+c", DocumentedForm),
            "another query" => ("/echo/hello?foo=baz&a=b+c", DocumentedForm),
            "a signed parameter sent again with another value" => ("/echo/hello?foo=bar&a=b+c&foo=evil", DocumentedForm),
            "an unknown key" => ("/echo/hello?foo=bar&a=b+c", DocumentedForm.Replace(KeyId, "LTAI5tUnknown", StringComparison.Ordinal)),
            "an unsigned date" => ("/echo/hello?foo=bar&a=b+c", DocumentedForm.Replace("x-acs-date;", "", StringComparison.Ordinal)),
            "a malformed header" => ("/echo/hello?foo=bar&a=b+c", "ACS3-HMAC-SHA256 Credential=" + KeyId),
            "a header signed twice" => ("/echo/hello?foo=bar&a=b+c", SignedTwice),
            "signed headers out of order" => ("/echo/hello?foo=bar&a=b+c", OutOfOrder),
            _ => ("/echo/hello?foo=bar&a=b+c", DocumentedForm),
        };

        using var request = Documented(path, authorization, "payload");
        if (kind == "no date")
        {
            request.Headers.Remove("x-acs-date");
        }

        using var response = await gateway.Client.SendAsync(request);

        await ErrorPathTests.AssertGatewayErrorAsync(response, HttpStatusCode.Forbidden, errorCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains(message, body, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, body, StringComparison.Ordinal);
        Assert.Empty(worker.Received);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(-16)]
    public async Task ASignatureMoreThan15MinutesFromTheGatewaysTime_HasExpired(int minutes)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartAsync(worker, SigningTime.AddMinutes(minutes));

        using var response = await gateway.Client.SendAsync(Documented("/echo/hello?foo=bar&a=b+c", DocumentedForm, "payload"));

        await ErrorPathTests.AssertGatewayErrorAsync(response, HttpStatusCode.Forbidden, "SignatureNotMatch");
        Assert.Contains("expired", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(worker.Received);
    }

    private static Task<TestGateway> StartAsync(TestWorker worker, DateTimeOffset now, bool web = false) =>
        TestGateway.ForWorkerAsync(worker, configure: c =>
        {
            c.Set("Gateway:Triggers:echo:AuthType", "function");
            c.WithAccessKey();
            if (web)
            {
                c.Set("ReverseProxy:Routes:echo:Metadata:TriggerMode", "web");
            }
        }, timeProvider: new FakeTimeProvider(now));

    /// <summary>A request in FC's documented form: x-acs-date and an empty x-acs-security-token.</summary>
    private static HttpRequestMessage Documented(string pathAndQuery, string? authorization, string? body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, pathAndQuery);
        if (body is not null)
        {
            request.Content = new StringContent(body);
        }

        request.Headers.TryAddWithoutValidation("x-acs-date", SignedAt);
        request.Headers.TryAddWithoutValidation("x-acs-security-token", "");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return request;
    }

    /// <summary>The SDKs' form of <c>POST /echo/data</c>, signed over <see cref="SignedBody"/>, sending <paramref name="body"/>.</summary>
    private static HttpRequestMessage WithSignedBody(string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/echo/data") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Host = "fc.example:8080";
        request.Headers.TryAddWithoutValidation("x-acs-date", SignedAt);
        request.Headers.TryAddWithoutValidation("x-acs-content-sha256", SignedBodyHash);
        request.Headers.TryAddWithoutValidation("x-acs-signature-nonce", "8f1c2a");
        request.Headers.TryAddWithoutValidation("Authorization", SdkForm);
        return request;
    }
}
