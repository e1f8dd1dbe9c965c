using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.EndToEnd;

/// <summary>What the gateway process says when it starts, or is asked about itself.</summary>
public sealed class StartupTests
{
    [Theory]
    [InlineData("--help", "Usage: FcGateway")]
    [InlineData("--version", "FcGateway ")]
    public async Task HelpOrVersion_PrintsAndExits0_WithoutStarting(string option, string expected)
    {
        var result = await GatewayCommand.RunAsync(option, "--urls", "http://127.0.0.1:0");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(expected, result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Started_LogsVersionListenersAndOneLinePerFunction()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        await Eventually.HoldsAsync(() => gateway.Logs.Contains("Function 'echo'"));
        Assert.True(gateway.Logs.Contains($"listening on {gateway.Client.BaseAddress!.ToString().TrimEnd('/')}"));
        Assert.True(gateway.Logs.Contains("Function 'echo': routes echo /echo/{**rest}; mode event; transport push (POST /invoke); instances 1; trigger auth anonymous"));
    }

    [Fact]
    public async Task Started_CountsEachInstanceOfAFunctionOnce_HoweverManyRoutesLeadToIt()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        var config = new GatewayConfiguration().WithFunction("echo", worker.Url, worker.Url)
            .Set("ReverseProxy:Routes:echo-too:ClusterId", "echo")
            .Set("ReverseProxy:Routes:echo-too:Match:Path", "/echo-too/{**rest}")
            .Set("ReverseProxy:Routes:echo-too:Metadata:FunctionName", "echo");
        await using var gateway = await TestGateway.StartAsync(config.Values);

        await Eventually.HoldsAsync(() => gateway.Logs.Contains("Function 'echo'"));
        Assert.True(gateway.Logs.Contains("Function 'echo': routes echo /echo/{**rest}, echo-too /echo-too/{**rest}; mode event; transport push (POST /invoke); instances 2; trigger auth anonymous"));
    }

    [Fact]
    public async Task Started_SaysAWebFunctionsRequestsAreProxied_NotPostedToInvoke()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        var config = new GatewayConfiguration().WithFunction("echo", worker.Url).Set("ReverseProxy:Routes:echo:Metadata:TriggerMode", "web");
        await using var gateway = await TestGateway.StartAsync(config.Values);

        await Eventually.HoldsAsync(() => gateway.Logs.Contains("Function 'echo'"));
        Assert.True(gateway.Logs.Contains("Function 'echo': routes echo /echo/{**rest}; mode web; transport proxy (the request as it came); instances 1; trigger auth anonymous"));
    }

    [Fact]
    public async Task Started_NamesTheTriggerAuthType_AsTheConfigurationSpellsIt()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        var config = new GatewayConfiguration().WithFunction("echo", worker.Url)
            .Set("Gateway:InvokeApi:AwsAccessKeys:AKIDEXAMPLE", "secret")
            .Set("Gateway:Triggers:echo:AuthType", "aws_iam");
        await using var gateway = await TestGateway.StartAsync(config.Values);

        await Eventually.HoldsAsync(() => gateway.Logs.Contains("Function 'echo'"));
        Assert.True(gateway.Logs.Contains("Function 'echo': routes echo /echo/{**rest}; mode event; transport push (POST /invoke); instances 1; trigger auth aws_iam"));
    }

    [Theory]
    [InlineData(null, "event (function URL payload 2.0)")]
    [InlineData("1.0", "event (API Gateway payload 1.0)")]
    public async Task Started_SaysWhichPayloadALambdaFunctionGets(string? payloadFormatVersion, string mode)
    {
        await using var gateway = await Gateway.Tests.RuntimeApi.LambdaFunction.StartAsync(c =>
        {
            if (payloadFormatVersion is not null)
            {
                c.Set("Gateway:Functions:echo:PayloadFormatVersion", payloadFormatVersion);
            }
        });

        await Eventually.HoldsAsync(() => gateway.Logs.Contains("Function 'echo'"));
        Assert.True(gateway.Logs.Contains($"Function 'echo': routes echo /echo/{{**rest}}; mode {mode}; transport pull (lambda runtime API); instances whoever polls"));
    }

    [Fact]
    public async Task ContentRootMissing_PrintsOneLineNamingIt_AndExits1()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"gateway-missing-{Guid.NewGuid():N}");

        var result = await GatewayCommand.RunAsync("--contentRoot", missing, "--urls", "http://127.0.0.1:0");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"'{missing}' is not a folder", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Output + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ContentRootRelative_IsResolvedAgainstTheCurrentFolder()
    {
        var current = Directory.CreateTempSubdirectory("gateway-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(current, "site"));
            await File.WriteAllTextAsync(Path.Combine(current, "site", "appsettings.json"), """{ "Gateway": { "Regoin": "x" } }""");

            var result = await GatewayCommand.RunInAsync(current, "--contentRoot", "site", "--urls", "http://127.0.0.1:0");

            Assert.Equal(1, result.ExitCode);
            Assert.Contains("Gateway:Regoin: unknown setting", result.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(current, recursive: true);
        }
    }

    [Fact]
    public async Task KestrelEndpointMistakes_AreListedWithTheOtherProblems_EachByItsKey_AndExit1()
    {
        var config = new GatewayConfiguration().WithFunction("echo", "http://127.0.0.1:9")
            .Set("Gateway:Regoin", "x")
            .Set("Kestrel:Endpoints:typo:Url", "127.0.0.1:8443")
            .Set("Kestrel:Endpoints:typo:Protocols", "Http9")
            .Set("Kestrel:Endpoints:tls:Url", "https://127.0.0.1:0")
            .Set("Kestrel:Endpoints:tls:Certificate:Path", $"missing-{Guid.NewGuid():N}.pfx");

        var result = await GatewayCommand.RunAsync(CommandLine(config));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("The gateway configuration is invalid (4 problem(s))", result.Error, StringComparison.Ordinal);
        Assert.Contains("- Gateway:Regoin: unknown setting", result.Error, StringComparison.Ordinal);
        Assert.Contains("- Kestrel:Endpoints:typo:Url: '127.0.0.1:8443' is not an address to listen on", result.Error, StringComparison.Ordinal);
        Assert.Contains("- Kestrel:Endpoints:typo:Protocols: 'Http9' is not one of Http1, Http2, Http1AndHttp2", result.Error, StringComparison.Ordinal);
        Assert.Contains("- Kestrel:Endpoints:tls:Certificate:Path: 'missing-", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Output + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KestrelKeysKestrelDoesNotRead_AreEachListedByTheirFullKey_WithTheOtherProblems_AndExit1()
    {
        var config = new GatewayConfiguration().WithFunction("echo", "http://127.0.0.1:9")
            .Set("Gateway:Regoin", "x")
            .Set("Kestrel:Endpoints:Web:Url", "http://127.0.0.1:0")
            .Set("Kestrel:Endpoints:Web:Urll", "http://127.0.0.1:0")
            .Set("Kestrel:EndpointDefaults:Protocol", "Http2")
            .Set("Kestrel:Certificates:Default:Passwrod", "x")
            .Set("Kestrel:Limits:MaxRequestBodySise", "10");

        var result = await GatewayCommand.RunAsync(CommandLine(config));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("The gateway configuration is invalid (5 problem(s))", result.Error, StringComparison.Ordinal);
        Assert.Contains("- Gateway:Regoin: unknown setting", result.Error, StringComparison.Ordinal);
        Assert.Contains("- Kestrel:Endpoints:Web:Urll: unknown setting", result.Error, StringComparison.Ordinal);
        Assert.Contains("- Kestrel:EndpointDefaults:Protocol: unknown setting", result.Error, StringComparison.Ordinal);
        Assert.Contains("- Kestrel:Certificates:Default:Passwrod: unknown setting", result.Error, StringComparison.Ordinal);
        Assert.Contains("- Kestrel:Limits: unknown setting; the keys here are Endpoints, EndpointDefaults, Certificates. Kestrel takes no options from configuration; the request limits are Gateway:Limits", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Output + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UrlsKestrelCannotListenOnAsMeant_AreListedByKey_AndExit1()
    {
        var config = new GatewayConfiguration().WithFunction("echo", "http://127.0.0.1:9");

        var result = await GatewayCommand.RunAsync([.. CommandLine(config), "--urls", "http://127.0.0.l:8080;http://127.0.0.1:8080/base"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("The gateway configuration is invalid (2 problem(s))", result.Error, StringComparison.Ordinal);
        Assert.Contains("- Urls: 'http://127.0.0.l:8080': '127.0.0.l' is neither an IP address nor localhost", result.Error, StringComparison.Ordinal);
        Assert.Contains("- Urls: 'http://127.0.0.1:8080/base' has a path ('/base')", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Output + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRuntimeApiOnTheClientsPort_IsListedByKey_AndExit1_BeforeAnythingBinds()
    {
        var config = new GatewayConfiguration().WithFunction("echo", "http://127.0.0.1:9");

        var result = await GatewayCommand.RunAsync([.. CommandLine(config), "--urls", "http://127.0.0.1:1", "--Gateway:RuntimeApi:Urls", "http://127.0.0.1:1"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("- Gateway:RuntimeApi:Urls: 'http://127.0.0.1:1' is port 1 of an address Urls listens on too", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("address already in use", result.Output + result.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ArgumentsTheConfigurationWouldNotRead_PrintOneLineNamingThem_AndExit1()
    {
        var result = await GatewayCommand.RunAsync("--urls", "http://127.0.0.1:0", "-x=1", "--Gateway:Region");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("'-x=1' (one dash: write --x=1), '--Gateway:Region' (no value follows it)", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Output + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TlsCertificateThatDoesNotReadWithItsPassword_IsListedByKey_WithTheOtherProblems_AndExits1()
    {
        using var certificate = await TlsEndpointCertificate.CreateAsync();
        var config = certificate.AddEndpoint(new GatewayConfiguration().WithFunction("echo", "http://127.0.0.1:9"))
            .Set("Kestrel:Endpoints:tls:Certificate:Password", "wrong")
            .Set("Gateway:Regoin", "x");

        var result = await GatewayCommand.RunAsync(CommandLine(config));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("The gateway configuration is invalid (2 problem(s))", result.Error, StringComparison.Ordinal);
        Assert.Contains("- Gateway:Regoin: unknown setting", result.Error, StringComparison.Ordinal);
        Assert.Contains("- Kestrel:Endpoints:tls:Certificate: not readable with its key and password: The certificate data cannot be read with the provided password", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Output + result.Error, StringComparison.Ordinal);
    }

    /// <remarks>
    /// Kestrel itself would say only "Error getting private key from '….pem'" as it starts, after the other problems were
    /// fixed; a key file that holds a key, just not the certificate's, is one of the problems listed together.
    /// </remarks>
    [Fact]
    public async Task TlsKeyFileOfAnotherCertificate_IsListedByKey_BesideAMissingFileAndAnUnknownKey_AndExits1()
    {
        using var certificate = await TlsEndpointCertificate.CreateAsync();
        using var otherKey = RSA.Create(2048);
        var certificatePath = Path.Combine(Path.GetTempPath(), $"fc-gateway-{Guid.NewGuid():N}.pem");
        var keyPath = Path.Combine(Path.GetTempPath(), $"fc-gateway-{Guid.NewGuid():N}.key");
        await File.WriteAllTextAsync(certificatePath, certificate.Certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, otherKey.ExportPkcs8PrivateKeyPem());
        try
        {
            var config = new GatewayConfiguration().WithFunction("echo", "http://127.0.0.1:9")
                .Set("Kestrel:Endpoints:tls:Url", "https://127.0.0.1:0")
                .Set("Kestrel:Endpoints:tls:Certificate:Path", certificatePath)
                .Set("Kestrel:Endpoints:tls:Certificate:KeyPath", keyPath)
                .Set("Kestrel:Endpoints:other:Url", "https://127.0.0.1:0")
                .Set("Kestrel:Endpoints:other:Certificate:Path", $"missing-{Guid.NewGuid():N}.pem")
                .Set("Kestrel:Endpoints:other:Protocol", "Http2");

            var result = await GatewayCommand.RunAsync(CommandLine(config));

            Assert.Equal(1, result.ExitCode);
            Assert.Contains("The gateway configuration is invalid (3 problem(s))", result.Error, StringComparison.Ordinal);
            Assert.Contains("- Kestrel:Endpoints:tls:Certificate: not readable with its key and password: The provided key does not match the public key for this certificate.", result.Error, StringComparison.Ordinal);
            Assert.Contains("- Kestrel:Endpoints:other:Certificate:Path: 'missing-", result.Error, StringComparison.Ordinal);
            Assert.Contains("- Kestrel:Endpoints:other:Protocol: unknown setting", result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.Output + result.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(certificatePath);
            File.Delete(keyPath);
        }
    }

    /// <remarks>
    /// .NET's PEM import refuses these with an <see cref="ArgumentException"/>, not a cryptographic one: an encrypted
    /// key without the endpoint's <c>Password</c>, and a <c>KeyPath</c> file that holds no key (an empty one).
    /// </remarks>
    [Theory]
    [InlineData("encrypted", "An encrypted key was found, but no password was provided")]
    [InlineData("empty", "No supported key formats were found")]
    public async Task TlsKeyFileKestrelCannotImport_IsListedByKey_AndExits1(string keyFile, string reason)
    {
        using var certificate = await TlsEndpointCertificate.CreateAsync();
        using var key = certificate.Certificate.GetRSAPrivateKey()!;
        var certificatePath = Path.Combine(Path.GetTempPath(), $"fc-gateway-{Guid.NewGuid():N}.pem");
        var keyPath = Path.Combine(Path.GetTempPath(), $"fc-gateway-{Guid.NewGuid():N}.key");
        await File.WriteAllTextAsync(certificatePath, certificate.Certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, keyFile == "encrypted"
            ? key.ExportEncryptedPkcs8PrivateKeyPem("key-password", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000))
            : "");
        try
        {
            var config = new GatewayConfiguration().WithFunction("echo", "http://127.0.0.1:9")
                .Set("Kestrel:Endpoints:tls:Url", "https://127.0.0.1:0")
                .Set("Kestrel:Endpoints:tls:Certificate:Path", certificatePath)
                .Set("Kestrel:Endpoints:tls:Certificate:KeyPath", keyPath);

            var result = await GatewayCommand.RunAsync(CommandLine(config));

            Assert.Equal(1, result.ExitCode);
            Assert.Contains("The gateway configuration is invalid (1 problem(s))", result.Error, StringComparison.Ordinal);
            Assert.Contains($"- Kestrel:Endpoints:tls:Certificate: not readable with its key and password: {reason}", result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.Output + result.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(certificatePath);
            File.Delete(keyPath);
        }
    }

    /// <remarks>
    /// A PEM certificate given without its <c>KeyPath</c> reads as a certificate alone: Kestrel takes it, and only
    /// refuses it when it binds the endpoint, where .NET's TLS needs the private key.
    /// </remarks>
    [Fact]
    public async Task TlsCertificateWithoutItsPrivateKey_PrintsOneLineSayingWhereTheKeyGoes_AndExits1()
    {
        using var certificate = await TlsEndpointCertificate.CreateAsync();
        var pem = Path.Combine(Path.GetTempPath(), $"fc-gateway-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(pem, certificate.Certificate.ExportCertificatePem());
        try
        {
            var config = new GatewayConfiguration().WithFunction("echo", "http://127.0.0.1:9")
                .Set("Kestrel:Endpoints:tls:Url", "https://127.0.0.1:0")
                .Set("Kestrel:Endpoints:tls:Certificate:Path", pem);

            var result = await GatewayCommand.RunAsync(CommandLine(config));

            Assert.Equal(1, result.ExitCode);
            var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("private key", line, StringComparison.Ordinal);
            Assert.Contains("KeyPath", line, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.Output + result.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(pem);
        }
    }

    [Fact]
    public async Task HttpsUrlWithoutCertificate_PrintsOneLineSayingWhereACertificateGoes_AndExits1()
    {
        // A home without ASP.NET Core's developer certificate: Kestrel has no certificate for an https address in Urls.
        var home = Directory.CreateTempSubdirectory("gateway-home-").FullName;
        try
        {
            var result = await GatewayCommand.RunWithEnvironmentAsync(
                new Dictionary<string, string> { ["HOME"] = home, ["DOTNET_CLI_HOME"] = home },
                [.. CommandLine(new GatewayConfiguration().WithFunction("echo", "http://127.0.0.1:9")), "--urls", "https://127.0.0.1:0"]);

            Assert.Equal(1, result.ExitCode);
            var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("Kestrel could not listen as configured (Urls, HTTP_PORTS/HTTPS_PORTS or Kestrel:Endpoints): Unable to configure HTTPS endpoint.", line, StringComparison.Ordinal);
            Assert.Contains("Kestrel:Certificates:Default", line, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.Output + result.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    /// <remarks>Kestrel refuses other addresses in <c>Urls</c> as it binds them: the line names its reason, without the certificate's advice.</remarks>
    [Fact]
    public async Task HttpUrlKestrelRefuses_PrintsOneLineWithKestrelsReasonAlone_AndExits1()
    {
        var result = await GatewayCommand.RunAsync([.. CommandLine(new GatewayConfiguration().WithFunction("echo", "http://127.0.0.1:9")), "--urls", "http://localhost:0"]);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Kestrel could not listen as configured (Urls, HTTP_PORTS/HTTPS_PORTS or Kestrel:Endpoints): Dynamic port binding is not supported when binding to localhost.", line, StringComparison.Ordinal);
        Assert.DoesNotContain("certificate", line, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task PortInUse_PrintsOneLineNamingTheUrlAndHowToChangeIt_AndExits1()
    {
        var contentRoot = Directory.CreateTempSubdirectory("gateway-").FullName;
        var occupied = new TcpListener(IPAddress.Loopback, 0);
        occupied.Start();
        try
        {
            await File.WriteAllTextAsync(Path.Combine(contentRoot, "appsettings.json"), """
                { "ReverseProxy": { "Routes": { "echo": { "ClusterId": "echo", "Match": { "Path": "/echo" }, "Metadata": { "FunctionName": "echo" } } },
                  "Clusters": { "echo": { "Destinations": { "one": { "Address": "http://127.0.0.1:9" } } } } } }
                """);
            var url = $"http://127.0.0.1:{((IPEndPoint)occupied.LocalEndpoint).Port}";

            var result = await GatewayCommand.RunAsync("--contentRoot", contentRoot, "--urls", url);

            Assert.Equal(1, result.ExitCode);
            var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains(url, line, StringComparison.Ordinal);
            Assert.Contains("--urls", line, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.Output + result.Error, StringComparison.Ordinal);
        }
        finally
        {
            occupied.Stop();
            Directory.Delete(contentRoot, recursive: true);
        }
    }

    private static string[] CommandLine(GatewayConfiguration config) =>
        [.. config.Values.SelectMany(setting => (string[])[$"--{setting.Key}", setting.Value!])];
}
