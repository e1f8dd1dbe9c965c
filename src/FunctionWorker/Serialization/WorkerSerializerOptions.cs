using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace FcWorker.Serialization;

/// <summary>Builds the read-only serializer options a worker uses for events and outputs.</summary>
internal static class WorkerSerializerOptions
{
    public static JsonSerializerOptions Create(JsonSerializerOptions? userOptions)
    {
        var options = userOptions is null
            ? new JsonSerializerOptions(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }
            : new JsonSerializerOptions(userOptions);

        // The SDK's context comes first so HTTP-trigger types resolve even with a user context that lacks them.
        options.TypeInfoResolver = JsonTypeInfoResolver.Combine(
            WorkerJsonContext.Default, options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver());
        options.MakeReadOnly();
        return options;
    }
}
