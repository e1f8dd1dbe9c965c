using System.Text.Json;
using FcGateway.Dialects.FcV1.Events;

namespace FcGateway.Http;

/// <summary>
/// How the gateway writes the JSON documents of its own (errors, refusals, health): escaping only what JSON requires,
/// like the events (<see cref="MinimalJsonEncoder"/>), so a message reads <c>function's</c>, not <c>function\u0027s</c>.
/// </summary>
internal static class GatewayJson
{
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = MinimalJsonEncoder.Instance };
}
