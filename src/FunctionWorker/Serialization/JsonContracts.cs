using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using FcWorker.Handlers;

namespace FcWorker.Serialization;

/// <summary>Resolves JSON contracts at start-up, so a type the serializer cannot handle fails there, not per invocation.</summary>
internal static class JsonContracts
{
    public static JsonTypeInfo Resolve(Type type, JsonSerializerOptions options, string role)
    {
        try
        {
            return options.GetTypeInfo(type);
        }
        catch (Exception exception) when (exception is NotSupportedException or InvalidOperationException or ArgumentException)
        {
            throw new ArgumentException(
                $"The handler's {role} type {TypeNames.Display(type)} has no usable JSON contract: {exception.Message} " +
                "Use a type System.Text.Json can serialize, or add it to the JsonSerializerContext in FunctionWorkerOptions.TypeInfoResolver.",
                exception);
        }
    }
}
