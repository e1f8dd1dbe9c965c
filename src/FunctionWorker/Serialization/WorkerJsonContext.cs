using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using FcWorker.HttpTrigger;
using FcWorker.Responses;

namespace FcWorker.Serialization;

/// <summary>Source-generated JSON contracts of the SDK's own wire types.</summary>
[JsonSerializable(typeof(HttpTriggerEvent))]
[JsonSerializable(typeof(HttpTriggerResponse))]
[JsonSerializable(typeof(FcErrorBody))]
[JsonSerializable(typeof(object))] // raw outputs (string, bytes, streams) and handlers declared to return object
internal sealed partial class WorkerJsonContext : JsonSerializerContext
{
    /// <summary>Minimal JSON: the gateway forwards it to HTTP clients, never into HTML, so only what JSON requires is escaped.</summary>
    public static WorkerJsonContext Compact { get; } = new(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>Indented JSON for <c>ToString()</c>, like Go's <c>json.MarshalIndent</c>.</summary>
    public static WorkerJsonContext Indented { get; } = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
    });
}
