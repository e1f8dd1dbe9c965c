using System.Text;
using Yarp.ReverseProxy.Configuration;

namespace FcGateway.Configuration;

/// <summary>
/// The HTTP client settings a function cluster gets unless it sets them itself (<c>ReverseProxy:Clusters:{id}:HttpClient</c>).
/// Kestrel takes request header values in UTF-8, but HttpClient sends only ASCII unless told otherwise: a client's
/// <c>X-Name: café</c> (or a JWT claim passed on as a header) failed the forwarded request before it left, counted as a
/// worker failure — which passive health checks then held against a healthy instance. Function clusters send request
/// header values in UTF-8, the bytes the client sent; one that sets its own <c>RequestHeaderEncoding</c> keeps it.
/// </summary>
internal static class FunctionClusterClientDefaults
{
    public static readonly string RequestHeaderEncoding = Encoding.UTF8.WebName;

    public static HttpClientConfig Apply(HttpClientConfig? configured) =>
        configured?.RequestHeaderEncoding is not null ? configured : (configured ?? HttpClientConfig.Empty) with { RequestHeaderEncoding = RequestHeaderEncoding };
}
