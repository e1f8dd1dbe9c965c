using System.Text.Json;
using System.Text.Json.Serialization;

namespace FcWorker.Tests.Binding;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(TestPayload))]
public sealed partial class TestJsonContext : JsonSerializerContext;
