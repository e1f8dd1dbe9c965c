using System.Text.Json;
using FcGateway.Dialects.FcV1.Events;

namespace FcGateway.Http;

/// <summary>
/// How the gateway writes the JSON documents of its own (errors, refusals, health): escaping only what JSON requires,
/// like the events (<see cref="MinimalJsonEncoder"/>), so a message reads <c>function's</c>, not <c>function\u0027s</c>.
/// And how it reads what functions and clients send: nested as deep as Go's encoding/json reads (10,000 levels), not
/// System.Text.Json's default 64 — a function's valid <c>{"statusCode":201,"body":[[…]]}</c> 64 levels deep was taken
/// for output that is not JSON and sent whole with 200.
/// </summary>
internal static class GatewayJson
{
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = MinimalJsonEncoder.Instance };

    public static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 10_000 };
}
