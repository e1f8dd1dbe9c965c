using System.Text;
using FcGateway.Configuration;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Configuration;

/// <summary>
/// Keys of the <c>ReverseProxy</c> section YARP would ignore (a typo falls back to a default), keys holding another kind of
/// setting (a single value where a list belongs: <c>"Methods": "GET"</c> would match every method) and values YARP would
/// not parse are problems named by their key path, at every depth.
/// </summary>
public sealed class ReverseProxyKeysTests
{
    private const string RouteWithoutMatch = """ "ClusterId": "c", "Metadata": { "FunctionName": "f" } """;
    private const string Route = RouteWithoutMatch + """, "Match": { "Path": "/r/{**rest}" } """;
    private const string Cluster = """ "Destinations": { "d": { "Address": "http://127.0.0.1:9000" } } """;

    [Theory]
    [InlineData("""{ "Routes": { "r": { %ROUTE%, "Orderr": 1 } } }""", "ReverseProxy:Routes:r:Orderr: unknown setting; the keys here are ClusterId, Order,")]
    [InlineData("""{ "Routes": { "r": { "ClusterId": "c", "Match": { "Pathh": "/r" }, "Metadata": { "FunctionName": "f" } } } }""", "ReverseProxy:Routes:r:Match:Pathh: unknown setting; the keys here are Methods, Hosts, Path,")]
    [InlineData("""{ "Routes": { "r": { %ROUTEWITHOUTMATCH%, "Match": { "Path": "/r", "Headers": [ { "Nme": "x", "Values": [ "1" ] } ] } } } }""", "ReverseProxy:Routes:r:Match:Headers:0:Nme: unknown setting")]
    [InlineData("""{ "Clusters": { "c": { "Destinations": { "d": { "Adress": "http://127.0.0.1:9000" } } } } }""", "ReverseProxy:Clusters:c:Destinations:d:Adress: unknown setting; the keys here are Address, Health, Host, Metadata.")]
    [InlineData("""{ "Clusters": { "c": { %CLUSTER%, "HealthCheck": { "Active": { "Enabld": true } } } } }""", "ReverseProxy:Clusters:c:HealthCheck:Active:Enabld: unknown setting")]
    [InlineData("""{ "Clusters": { "c": { %CLUSTER%, "HttpClient": { "WebProxy": { "Adress": "http://p" } } } } }""", "ReverseProxy:Clusters:c:HttpClient:WebProxy:Adress: unknown setting")]
    [InlineData("""{ "Clusterz": { } , "Routes": { "r": { %ROUTE% } } }""", "ReverseProxy:Clusterz: unknown setting; the keys here are Routes, Clusters.")]
    [InlineData("""{ "Routes": { "r": { %ROUTEWITHOUTMATCH%, "Match": { "Path": "/r", "Methods": "GET" } } } }""", "ReverseProxy:Routes:r:Match:Methods: must be a list")]
    [InlineData("""{ "Routes": { "r": { %ROUTEWITHOUTMATCH%, "Match": { "Path": "/r", "Headers": { "Name": "x" } } } } }""", "ReverseProxy:Routes:r:Match:Headers: must be a list of objects")]
    [InlineData("""{ "Routes": { "r": { %ROUTE%, "Transforms": { "PathRemovePrefix": "/r" } } } }""", "ReverseProxy:Routes:r:Transforms: must be a list of objects")]
    [InlineData("""{ "Clusters": { "c": { "Destinations": "http://127.0.0.1:9000" } } }""", "ReverseProxy:Clusters:c:Destinations: must be an object")]
    [InlineData("""{ "Routes": { "r": { %ROUTE%, "Order": "first" } } }""", "ReverseProxy:Routes:r:Order: 'first' is not a whole number.")]
    [InlineData("""{ "Routes": { "r": { %ROUTE%, "Timeout": "30s" } } }""", "ReverseProxy:Routes:r:Timeout: '30s' is not a duration")]
    [InlineData("""{ "Clusters": { "c": { %CLUSTER%, "HealthCheck": { "Active": { "Interval": "xx" } } } } }""", "ReverseProxy:Clusters:c:HealthCheck:Active:Interval: 'xx' is not a duration")]
    [InlineData("""{ "Routes": { "r": { %ROUTE%, "Timeout": "30" } } }""", "ReverseProxy:Routes:r:Timeout: '30' is not a duration written as hh:mm:ss")]
    [InlineData("""{ "Clusters": { "c": { %CLUSTER%, "HealthCheck": { "Active": { "Interval": "10" } } } } }""", "ReverseProxy:Clusters:c:HealthCheck:Active:Interval: '10' is not a duration written as hh:mm:ss")]
    [InlineData("""{ "Clusters": { "c": { %CLUSTER%, "HealthCheck": { "Passive": { "ReactivationPeriod": "60" } } } } }""", "ReverseProxy:Clusters:c:HealthCheck:Passive:ReactivationPeriod: '60' is not a duration")]
    [InlineData("""{ "Clusters": { "c": { %CLUSTER%, "HttpRequest": { "ActivityTimeout": "100" } } } }""", "ReverseProxy:Clusters:c:HttpRequest:ActivityTimeout: '100' is not a positive duration")]
    [InlineData("""{ "Clusters": { "c": { %CLUSTER%, "HealthCheck": { "Passive": { "Enabled": "yes" } } } } }""", "ReverseProxy:Clusters:c:HealthCheck:Passive:Enabled: 'yes' is not a boolean")]
    [InlineData("""{ "Clusters": { "c": { %CLUSTER%, "HttpRequest": { "Version": "banana" } } } }""", "ReverseProxy:Clusters:c:HttpRequest:Version: 'banana' is not an HTTP version")]
    [InlineData("""{ "Routes": { "r": { %ROUTE%, "MaxRequestBodySize": -5 } } }""", "ReverseProxy:Routes:r:MaxRequestBodySize: '-5' is not a whole number of bytes, 0 or more (-1 for no limit).")]
    [InlineData("""{ "Clusters": { "c": { %CLUSTER%, "HttpRequest": { "ActivityTimeout": "-00:00:01" } } } }""", "ReverseProxy:Clusters:c:HttpRequest:ActivityTimeout: '-00:00:01' is not a positive duration")]
    [InlineData("""{ "Clusters": { "c": { %CLUSTER%, "HttpRequest": { "ActivityTimeout": "00:00:00" } } } }""", "ReverseProxy:Clusters:c:HttpRequest:ActivityTimeout: '00:00:00' is not a positive duration")]
    [InlineData("""{ "Clusters": { "c": { %CLUSTER%, "HttpRequest": { "VersionPolicy": "Newest" } } } }""", "ReverseProxy:Clusters:c:HttpRequest:VersionPolicy: 'Newest' is not one of RequestVersionOrLower,")]
    [InlineData("""{ "Clusters": { "c": { %CLUSTER%, "HttpClient": { "SslProtocols": [ "Tls12", "Tls99" ] } } } }""", "ReverseProxy:Clusters:c:HttpClient:SslProtocols:1: 'Tls99' is not one of")]
    [InlineData("""{ "Clusters": { "c": { %CLUSTER%, "HttpClient": { "SslProtocols": [ "Ssl2" ] } } } }""", "ReverseProxy:Clusters:c:HttpClient:SslProtocols:0: 'Ssl2' is not one of")]
    public void Read_KeyYarpWouldIgnoreOrRefuse_IsAProblemNamingIt(string reverseProxy, string problem)
    {
        var problems = Read(reverseProxy);

        Assert.Contains(problems, p => p.StartsWith(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void Read_EveryProblem_IsReported_NotOnlyTheFirst()
    {
        var problems = Read("""
            { "Routes": { "r": { %ROUTEWITHOUTMATCH%, "Orderr": 1, "Order": "x", "Match": { "Path": "/r", "Methods": "GET" } } },
              "Clusters": { "c": { "Destinations": { "d": { "Adress": "http://127.0.0.1:9000" } }, "HealthCheck": { "Active": { "Interval": "xx" } } } } }
            """);

        Assert.Equal(5, problems.Count);
    }

    [Fact]
    public void Read_AClusterWithAValueThatDoesNotConvert_KeepsItsDestinations_SoTheirProblemsAreJudgedToo()
    {
        var problems = new List<string>();

        var reading = ReverseProxySection.Read(Section("""
            { "Clusters": { "c": { "Destinations": { "d": { "Address": "not a url" } }, "HealthCheck": { "Active": { "Interval": "xx" } } } } }
            """), problems);

        Assert.False(reading?.Complete);
        var cluster = Assert.Single(reading!.Clusters);
        Assert.Equal("not a url", cluster.Destinations!["d"].Address);
        Assert.Single(problems);
    }

    [Fact]
    public void Read_ConvertibleSectionWithUnknownKey_StillConverts_SoItsRoutesAreJudgedToo()
    {
        var problems = new List<string>();

        var converted = ReverseProxySection.Read(Section("""{ "Routes": { "r": { %ROUTE%, "Orderr": 1 } }, "Clusters": { "c": { %CLUSTER% } } }"""), problems);

        Assert.True(converted?.Complete);
        Assert.Single(problems);
    }

    [Theory]
    [InlineData("""
        { "Routes": { "r": { "ClusterId": "c", "Order": -1, "MaxRequestBodySize": 1048576, "Timeout": "00:00:30", "CorsPolicy": "p", "AuthorizationPolicy": "a",
            "Match": { "Path": "/r/{**rest}", "Methods": [ "GET", "POST" ], "Hosts": [ "a.example" ],
                       "Headers": [ { "Name": "x", "Values": [ "1" ], "Mode": "exactheader", "IsCaseSensitive": true } ],
                       "QueryParameters": [ { "Name": "q", "Values": [ "1" ], "Mode": "Contains" } ] },
            "Metadata": { "FunctionName": "f", "AnythingElse": "x" }, "Transforms": [ { "PathRemovePrefix": "/r" }, { "RequestHeader": "a", "Set": "b" } ] } },
          "Clusters": { "c": { "LoadBalancingPolicy": "RoundRobin",
            "SessionAffinity": { "Enabled": true, "Policy": "Cookie", "AffinityKeyName": "k", "Cookie": { "HttpOnly": true, "SameSite": "Lax", "SecurePolicy": "Always", "MaxAge": "01:00:00" } },
            "HealthCheck": { "Active": { "Enabled": true, "Interval": "00:00:10", "Timeout": "00:00:02", "Policy": "WorkerAnswers", "Path": "/healthz", "Query": "?a=1" },
                             "Passive": { "Enabled": false, "Policy": "TransportFailureRate", "ReactivationPeriod": "1.00:00:00" }, "AvailableDestinationsPolicy": "HealthyOrPanic" },
            "HttpClient": { "SslProtocols": [ "Tls12", "tls13" ], "MaxConnectionsPerServer": 10, "DangerousAcceptAnyServerCertificate": false,
                            "EnableMultipleHttp2Connections": true, "RequestHeaderEncoding": "utf-8", "WebProxy": { "Address": "http://proxy:8080", "BypassOnLocal": true } },
            "HttpRequest": { "ActivityTimeout": "00:01:00", "Version": "2", "VersionPolicy": "RequestVersionOrLower", "AllowResponseBuffering": false },
            "Metadata": { "ConsecutiveFailuresHealthPolicy.Threshold": "3" },
            "Destinations": { "d": { "Address": "http://127.0.0.1:9000", "Health": "http://127.0.0.1:9001", "Host": "h", "Metadata": { "zone": "a" } } } } } }
        """)]
    [InlineData("""
        { "Routes": { "r": { "clusterId": "c", "RateLimiterPolicy": "rl", "OutputCachePolicy": "oc", "TimeoutPolicy": "tp", "CorsPolicy": null,
            "match": { "path": "/r/{**rest}", "Methods": [], "QueryParameters": [ { "Name": "q", "Mode": "Exists", "IsCaseSensitive": false } ] },
            "Metadata": { "FunctionName": "f" } } },
          "Clusters": { "c": { %CLUSTER%,
            "SessionAffinity": { "FailurePolicy": "Return503Error", "Cookie": { "Path": "/", "Domain": "example.com", "Expiration": "00:10:00", "IsEssential": true } },
            "HttpClient": { "ResponseHeaderEncoding": "latin1", "WebProxy": { "UseDefaultCredentials": false } },
            "HttpRequest": { "Version": null } } } }
        """)]
    [InlineData("""{ "Routes": { "r": { %ROUTE% } }, "Clusters": { "c": { %CLUSTER%, "HttpRequest": { "Version": "" } } } }""")]
    [InlineData("""{ "Routes": { "r": { %ROUTE%, "MaxRequestBodySize": -1 } }, "Clusters": { "c": { %CLUSTER% } } }""")]
    [InlineData("""{ "Routes": { "r": { %ROUTE%, "MaxRequestBodySize": 0 } }, "Clusters": { "c": { %CLUSTER%, "HttpRequest": { "ActivityTimeout": "60.00:00:00" } } } }""")]
    [InlineData("""{ "Routes": { "r": { %ROUTE% } }, "Clusters": { "c": { %CLUSTER% } } }""")]
    public void Read_EveryKeyYarpReads_IsAccepted(string reverseProxy)
    {
        Assert.Empty(Read(reverseProxy));
    }

    private static List<string> Read(string reverseProxy)
    {
        var problems = new List<string>();
        ReverseProxySection.Read(Section(reverseProxy), problems);
        return problems;
    }

    private static IConfigurationSection Section(string reverseProxy)
    {
        var json = reverseProxy.Replace("%ROUTEWITHOUTMATCH%", RouteWithoutMatch, StringComparison.Ordinal).Replace("%ROUTE%", Route, StringComparison.Ordinal).Replace("%CLUSTER%", Cluster, StringComparison.Ordinal);
        var stream = new MemoryStream(Encoding.UTF8.GetBytes($$"""{ "ReverseProxy": {{json}} }"""));
        return new ConfigurationBuilder().AddJsonStream(stream).Build().GetSection(ReverseProxySection.Name);
    }
}
