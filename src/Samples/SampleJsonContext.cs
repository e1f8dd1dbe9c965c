using System.Text.Json;
using System.Text.Json.Serialization;
using FcWorker.Samples.Functions;

namespace FcWorker.Samples;

/// <summary>
/// Source-generated JSON contracts of the samples' events, so they run published native AOT as well
/// (<c>dotnet publish src/Samples -p:PublishAot=true</c>), where reflection-based serialization is off.
/// </summary>
[JsonSerializable(typeof(StructEvent))]
[JsonSerializable(typeof(SlowEvent))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
internal sealed partial class SampleJsonContext : JsonSerializerContext;
