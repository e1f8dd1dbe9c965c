using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using FcWorker.Handlers;
using FcWorker.Samples;
using FcWorker.Serialization;

namespace FcWorker.Tests.Samples;

/// <summary>
/// Published native AOT, a worker has no reflection-based serialization: every JSON type a sample takes or returns must
/// come from the samples' source-generated context (or the SDK's own), which is what this checks without reflection.
/// </summary>
public sealed class SampleNativeAotTests
{
    private static readonly Type[] ReadWithoutJson = [typeof(string), typeof(byte[]), typeof(ReadOnlyMemory<byte>), typeof(Stream)];

    public static TheoryData<string> Samples() => [.. SampleFunctions.All.Select(sample => sample.Name)];

    [Theory]
    [MemberData(nameof(Samples))]
    public void EveryJsonTypeOfASample_ResolvesFromSourceGeneratedContracts(string name)
    {
        var shape = HandlerShapeAnalyzer.Analyze(SampleFunctions.Find(name)!.Handler);
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var generatedOnly = JsonTypeInfoResolver.Combine(WorkerJsonContext.Default, SampleFunctions.Options().TypeInfoResolver);

        foreach (var type in new[] { shape.EventType, shape.OutputType }.OfType<Type>().Where(type => !ReadWithoutJson.Contains(type)))
        {
            Assert.True(generatedOnly.GetTypeInfo(type, options) is not null, $"{name}: {type} has no source-generated JSON contract.");
        }
    }

    [Fact]
    public void GivenContracts_ATypeTheyLack_FailsAtStartUpNamingIt_RatherThanFallingBackToReflection()
    {
        var exception = Assert.Throws<ArgumentException>(() => FunctionWorker.Create(
            ["--urls", "http://127.0.0.1:0"], (UnlistedEvent @event) => @event.Name, SampleFunctions.Options()));

        Assert.Contains(nameof(UnlistedEvent), exception.Message, StringComparison.Ordinal);
        Assert.Contains("FunctionWorkerOptions.TypeInfoResolver", exception.Message, StringComparison.Ordinal);
    }

    public sealed record UnlistedEvent(string Name);
}
