using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;

namespace FcWorker;

/// <summary>Optional settings of a function worker. Every property has a safe default.</summary>
public sealed class FunctionWorkerOptions
{
    /// <summary>
    /// How many invocations the worker runs at once. Listening, one more is refused at once with HTTP 429
    /// (<c>ConcurrencyLimitExceeded</c>), never queued; pulling from <c>FC_RUNTIME_API</c>, it is the number
    /// of poll loops, so the worker never asks for more than it can run. Defaults to 1, FC's
    /// one-request-per-instance model, so a handler may keep state in static fields without locks. The
    /// configuration key (or environment variable) <c>FC_INSTANCE_CONCURRENCY</c> overrides it, because the
    /// platform decides how many invocations it sends to an instance.
    /// </summary>
    public int MaxConcurrentInvocations { get; set; } = 1;

    /// <summary>
    /// Serializer options for typed events and outputs. Defaults to <see cref="JsonSerializerDefaults.Web"/>
    /// (camelCase names, case-insensitive reading) with minimal escaping (outputs go to HTTP clients as
    /// JSON, never into HTML, so <c>"</c> stays <c>\"</c> and non-ASCII text stays as is). For source
    /// generation pass your context's options (<c>MyJsonContext.Default.Options</c>) or set <see cref="JsonSerializerOptions.TypeInfoResolver"/>;
    /// the SDK's own types (<see cref="HttpTrigger.HttpTriggerEvent"/>, <see cref="HttpTrigger.HttpTriggerResponse"/>)
    /// are always resolvable.
    /// </summary>
    public JsonSerializerOptions? SerializerOptions { get; set; }

    /// <summary>
    /// The JSON contracts of the handler's own event and output types, usually a source-generated context
    /// (<c>MyJsonContext.Default</c>), used with the default <see cref="SerializerOptions"/> or beside those set there.
    /// A function published native AOT, where reflection-based serialization is off, needs it for every type read or
    /// written as JSON; without native AOT, types it lacks fall back to reflection only when neither this nor
    /// <see cref="SerializerOptions"/>' resolver is set.
    /// </summary>
    public IJsonTypeInfoResolver? TypeInfoResolver { get; set; }

    /// <summary>
    /// Called on <c>POST /initialize</c>, or for a pulled call of <c>x-fc-function-type: 1</c>, which the platform
    /// sends once per instance before its first invocation (FC's initializer). An exception fails the
    /// initialization with an FC error body (posted to the runtime API's <c>error</c> when pulling).
    /// </summary>
    public Func<IFunctionContext, Task>? Initializer { get; set; }

    /// <summary>
    /// Called on <c>GET /pre-stop</c>, or for a pulled call of <c>x-fc-function-type: 2</c>, when the platform
    /// retires the instance; flush buffers here.
    /// </summary>
    public Func<IFunctionContext, Task>? PreStop { get; set; }

    /// <summary>
    /// Customises the host before it is built (logging providers, services, Kestrel). Runs after the
    /// worker's defaults, so it can override them. A worker pulling from <c>FC_RUNTIME_API</c> (set on the
    /// command line or in the environment) is built without Kestrel, as it listens nowhere; removing
    /// <c>FC_RUNTIME_API</c> from such a worker's configuration here makes <c>Create</c> throw.
    /// </summary>
    public Action<WebApplicationBuilder>? ConfigureBuilder { get; set; }
}
