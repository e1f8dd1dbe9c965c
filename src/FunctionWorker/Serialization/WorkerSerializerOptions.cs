using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace FcWorker.Serialization;

/// <summary>Builds the read-only serializer options a worker uses for events and outputs.</summary>
internal static class WorkerSerializerOptions
{
    public static JsonSerializerOptions Create(JsonSerializerOptions? userOptions, IJsonTypeInfoResolver? userContracts)
    {
        var options = userOptions is null
            ? new JsonSerializerOptions(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }
            : new JsonSerializerOptions(userOptions);

        // The SDK's context comes first so HTTP-trigger types resolve even with a user context that lacks them. Other
        // types resolve by reflection unless the app is published native AOT (or trimmed with reflection-based
        // serialization off): then they need the user's own context, and a type it lacks fails at start-up.
        var userResolver = options.TypeInfoResolver;
        options.TypeInfoResolver = JsonTypeInfoResolver.Combine(
            WorkerJsonContext.Default, userContracts, userResolver ?? (userContracts is null ? ReflectionResolver() : null));
        options.MakeReadOnly();
        return options;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Only when reflection-based serialization is on, which trimming and native AOT turn off.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Only when reflection-based serialization is on, which native AOT turns off.")]
    private static DefaultJsonTypeInfoResolver? ReflectionResolver() =>
        JsonSerializer.IsReflectionEnabledByDefault ? new DefaultJsonTypeInfoResolver() : null;
}
