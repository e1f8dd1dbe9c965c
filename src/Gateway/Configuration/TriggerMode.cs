
namespace FcGateway.Configuration;

/// <summary>How a route's requests reach the function (route metadata <c>TriggerMode</c>).</summary>
public enum TriggerMode
{
    /// <summary>The request becomes an FC 3.0 HTTP-trigger event posted to the worker's <c>/invoke</c>.</summary>
    Event,

    /// <summary>
    /// A web function: the request goes to the worker as it came — method, path, query, headers, body,
    /// streamed both ways — plus FC's common headers with <c>x-fc-control-path: /http-invoke</c>.
    /// </summary>
    Web,
}
