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
        var options = SampleFunctions.Options().SerializerOptions!;
        var generatedOnly = JsonTypeInfoResolver.Combine(WorkerJsonContext.Default, options.TypeInfoResolver);

        foreach (var type in new[] { shape.EventType, shape.OutputType }.OfType<Type>().Where(type => !ReadWithoutJson.Contains(type)))
        {
            Assert.True(generatedOnly.GetTypeInfo(type, options) is not null, $"{name}: {type} has no source-generated JSON contract.");
        }
    }

    [Fact]
    public void TheSamplesOptions_AreTheSdksDefaults_WithTheSamplesContext()
    {
        var options = SampleFunctions.Options().SerializerOptions!;

        Assert.Equal(JsonNamingPolicy.CamelCase, options.PropertyNamingPolicy);
        Assert.True(options.PropertyNameCaseInsensitive);
        Assert.Equal("\"é<\"", JsonSerializer.Serialize("é<", options.GetTypeInfo(typeof(string))));
    }
}
