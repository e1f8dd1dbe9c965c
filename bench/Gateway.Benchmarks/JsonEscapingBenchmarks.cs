using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using FcGateway.Events;

namespace FcGateway.Benchmarks;

/// <summary>
/// Where a text body's time goes in the event writer: the same JSON body written as one JSON string with the
/// gateway's <see cref="MinimalJsonEncoder"/> and with the built-in relaxed encoder, and a body with nothing
/// to escape. A reference for <see cref="HttpTriggerEventWriterBenchmarks"/>, not a test of the gateway.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "The writers live from [GlobalSetup] to [GlobalCleanup], which disposes them.")]
public class JsonEscapingBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new();
    private Utf8JsonWriter _minimal = null!;
    private Utf8JsonWriter _relaxed = null!;
    private byte[] _json = [];
    private byte[] _plain = [];

    [Params(1024, 64 * 1024)]
    public int BodyBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _json = BenchmarkPayloads.JsonText(BodyBytes);
        _plain = BenchmarkPayloads.PlainText(BodyBytes);
        _minimal = new Utf8JsonWriter(_output, new JsonWriterOptions { Encoder = MinimalJsonEncoder.Instance, SkipValidation = true });
        _relaxed = new Utf8JsonWriter(_output, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _minimal.Dispose();
        _relaxed.Dispose();
    }

    /// <summary>What the gateway does for an application/json body.</summary>
    [Benchmark(Baseline = true)]
    public long JsonBodyMinimalEncoder() => Write(_minimal, _json);

    [Benchmark]
    public long JsonBodyRelaxedEncoder() => Write(_relaxed, _json);

    /// <summary>Nothing to escape: the cost of validation and copying alone.</summary>
    [Benchmark]
    public long PlainBodyMinimalEncoder() => Write(_minimal, _plain);

    private long Write(Utf8JsonWriter writer, byte[] body)
    {
        _output.ResetWrittenCount();
        writer.Reset(_output);
        writer.WriteStringValue(body);
        writer.Flush();
        return writer.BytesCommitted;
    }
}
