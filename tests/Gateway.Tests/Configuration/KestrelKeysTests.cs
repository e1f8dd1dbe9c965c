using System.Text;
using FcGateway.Configuration;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Configuration;

/// <summary>
/// Keys of the <c>Kestrel</c> section Kestrel would ignore (a typo falls back to a default; its options, such as
/// <c>Limits</c>, are not read from configuration at all) and values it would not parse are problems named by their key
/// path, at every depth; every key Kestrel reads passes, in any letter case.
/// </summary>
public sealed class KestrelKeysTests
{
    [Theory]
    [InlineData("""{ "Endpoints": { "Web": { "Url": "http://127.0.0.1:8080", "Urll": "http://127.0.0.1:8081" } } }""", "Kestrel:Endpoints:Web:Urll: unknown setting; the keys here are Url, Protocols, SslProtocols,")]
    [InlineData("""{ "Endpoints": { "Web": { "Url": "https://127.0.0.1:8443", "Certificate": { "Pat": "c.pfx" } } } }""", "Kestrel:Endpoints:Web:Certificate:Pat: unknown setting; the keys here are Path, KeyPath, Password,")]
    [InlineData("""{ "Endpoints": { "Web": { "Url": "https://127.0.0.1:8443", "Sni": { "host": { "Protocls": "Http1" } } } } }""", "Kestrel:Endpoints:Web:Sni:host:Protocls: unknown setting")]
    [InlineData("""{ "EndpointDefaults": { "Protocol": "Http2" } }""", "Kestrel:EndpointDefaults:Protocol: unknown setting; the keys here are Protocols, SslProtocols, ClientCertificateMode.")]
    [InlineData("""{ "Certificates": { "Default": { "Path": "c.pfx", "Passwrod": "x" } } }""", "Kestrel:Certificates:Default:Passwrod: unknown setting")]
    [InlineData("""{ "Limits": { "MaxRequestBodySise": 10 } }""", "Kestrel:Limits: unknown setting; the keys here are Endpoints, EndpointDefaults, Certificates.")]
    [InlineData("""{ "AddServerHeader": true }""", "Kestrel:AddServerHeader: unknown setting")]
    [InlineData("""{ "Endpoints": { "Web": { "Url": "https://127.0.0.1:8443", "ClientCertificateMode": "Require" } } }""", "Kestrel:Endpoints:Web:ClientCertificateMode: 'Require' is not one of NoCertificate, AllowCertificate, RequireCertificate")]
    [InlineData("""{ "EndpointDefaults": { "SslProtocols": "Tls12" } }""", "Kestrel:EndpointDefaults:SslProtocols: must be a list")]
    [InlineData("""{ "EndpointDefaults": { "SslProtocols": [ "Tls12", "Tls14" ] } }""", "Kestrel:EndpointDefaults:SslProtocols:1: 'Tls14' is not one of")]
    [InlineData("""{ "EndpointDefaults": { "SslProtocols": [ "Ssl3" ] } }""", "Kestrel:EndpointDefaults:SslProtocols:0: 'Ssl3' is not one of None, Tls, Tls11, Tls12, Tls13")]
    [InlineData("""{ "EndpointDefaults": { "SslProtocols": [ "12288" ] } }""", "Kestrel:EndpointDefaults:SslProtocols:0: '12288' is not one of")]
    [InlineData("""{ "EndpointDefaults": { "SslProtocols": [ "Default" ] } }""", "Kestrel:EndpointDefaults:SslProtocols:0: 'Default' is not one of")]
    [InlineData("""{ "Endpoints": { "Web": { "Url": "https://127.0.0.1:8443", "Sni": { "host": { "Protocols": "Http9" } } } } }""", "Kestrel:Endpoints:Web:Sni:host:Protocols: 'Http9' is not one of Http1, Http2, Http1AndHttp2,")]
    [InlineData("""{ "Certificates": { "Default": { "Subject": "gateway", "AllowInvalid": "yes" } } }""", "Kestrel:Certificates:Default:AllowInvalid: 'yes' is not a boolean")]
    [InlineData("""{ "Endpoints": { "Web": { "Url": "http://127.0.0.1:8080", "Protocols": "None" } } }""", "Kestrel:Endpoints:Web:Protocols: 'None' is not one of Http1, Http2, Http1AndHttp2,")]
    [InlineData("""{ "EndpointDefaults": { "Protocols": "none" } }""", "Kestrel:EndpointDefaults:Protocols: 'none' is not one of")]
    [InlineData("""{ "EndpointDefaults": { "Protocols": "0" } }""", "Kestrel:EndpointDefaults:Protocols: '0' is not one of")]
    [InlineData("""{ "EndpointDefaults": { "Protocols": "99" } }""", "Kestrel:EndpointDefaults:Protocols: '99' is not one of")]
    public void Check_KeyKestrelWouldIgnore_IsAProblemNamingIt(string kestrel, string problem)
    {
        var problems = Check(kestrel);

        Assert.Contains(problems, p => p.StartsWith(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void Check_EveryProblem_IsReported_NotOnlyTheFirst()
    {
        var problems = Check("""
            { "Endpoints": { "Web": { "Url": "http://127.0.0.1:8080", "Urll": "x", "Certificate": { "Pat": "c.pfx" } } },
              "EndpointDefaults": { "Protocol": "Http2" }, "Certificates": { "Default": { "Passwrod": "x" } }, "Limits": { "MaxRequestBodySise": 10 } }
            """);

        Assert.Equal(5, problems.Count);
    }

    [Theory]
    [InlineData("""
        { "Endpoints": {
            "http": { "Url": "http://127.0.0.1:8080" },
            "h2c": { "Url": "http://127.0.0.1:8081", "Protocols": "Http2" },
            "https": { "Url": "https://127.0.0.1:8443", "Protocols": "Http1AndHttp2AndHttp3", "SslProtocols": [ "Tls12", "tls13" ], "ClientCertificateMode": "AllowCertificate",
                       "Certificate": { "Path": "c.pem", "KeyPath": "k.pem", "Password": "p" },
                       "Sni": { "a.example": { "Protocols": "Http1", "SslProtocols": [ "Tls13" ], "ClientCertificateMode": "requirecertificate", "Certificate": { "Subject": "a", "Store": "My", "Location": "CurrentUser", "AllowInvalid": true } },
                                "*": { } } } },
          "EndpointDefaults": { "Protocols": "Http1AndHttp2", "SslProtocols": [ "Tls12" ], "ClientCertificateMode": "NoCertificate" },
          "Certificates": { "Default": { "Path": "c.pfx", "Password": "p" }, "Development": { "Password": "d" } } }
        """)]
    [InlineData("""{ "endpoints": { "web": { "url": "https://127.0.0.1:8443", "certificate": { "path": "c.pfx", "allowInvalid": "false" } } }, "endpointDefaults": { "protocols": "http2" } }""")]
    [InlineData("""{ "EndpointDefaults": { "Protocols": "Http1, Http2" } }""")]
    [InlineData("""{ }""")]
    public void Check_EveryKeyKestrelReads_IsAccepted(string kestrel)
    {
        Assert.Empty(Check(kestrel));
    }

    private static List<string> Check(string kestrel)
    {
        var problems = new List<string>();
        var stream = new MemoryStream(Encoding.UTF8.GetBytes($$"""{ "Kestrel": {{kestrel}} }"""));
        KestrelKeys.Kestrel.Check(new ConfigurationBuilder().AddJsonStream(stream).Build().GetSection("Kestrel"), new SettingsErrors(problems));
        return problems;
    }
}
