using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using FcWorker.HttpTrigger;
using FcWorker.Responses;
using FcWorker.Serialization;

namespace FcWorker.Tests.Responses;

/// <summary>
/// Outputs of <see cref="OutputEncoder.PooledFromBytes"/> or more are encoded into a rented array: the bytes are the
/// ones the serializer and UTF-8 give, whatever the array they are in.
/// </summary>
public sealed class OutputEncoderTests
{
    public static TheoryData<int> BodyLengths => [0, 100, OutputEncoder.PooledFromBytes / 3, 8000, OutputEncoder.PooledFromBytes - 40, OutputEncoder.PooledFromBytes, 70_000, 1 << 20];

    [Theory]
    [MemberData(nameof(BodyLengths))]
    public void Encode_JsonOutput_IsWhatTheSerializerWrites_RentedFromItsPooledSize(int bodyLength)
    {
        var options = WorkerSerializerOptions.Create(null, null);
        var output = new HttpTriggerResponse(200).WithBody(Text(bodyLength)).WithHeaders(new Dictionary<string, string> { ["Content-Type"] = "text/plain; charset=é" });
        var expected = JsonSerializer.SerializeToUtf8Bytes<object>(output, options);

        using var encoded = OutputEncoder.Create(typeof(HttpTriggerResponse), options).Encode(output);

        Assert.Equal(expected, encoded.Bytes.ToArray());
        Assert.Equal(ContentTypes.Json, encoded.ContentType);
        Assert.Equal(expected.Length >= OutputEncoder.PooledFromBytes, encoded.IsRented);
    }

    /// <summary>The serializer's layout options reach the writer the encoder makes.</summary>
    [Fact]
    public void Encode_JsonOutputWithIndentOptions_IsWhatTheSerializerWrites()
    {
        var options = WorkerSerializerOptions.Create(new JsonSerializerOptions { WriteIndented = true, IndentCharacter = '\t', IndentSize = 1, NewLine = "\n" }, null);
        var output = new Dictionary<string, string[]> { ["items"] = Enumerable.Repeat(Text(100), 200).ToArray() };

        using var encoded = OutputEncoder.Create(output.GetType(), options).Encode(output);

        Assert.True(encoded.IsRented);
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(output, options), encoded.Bytes.ToArray());
    }

    /// <summary>The thread's writer and buffer keep nothing of an output whose serialization threw part way.</summary>
    [Fact]
    public void Encode_AfterAnOutputWhoseSerializationThrew_TheNextIsWhole()
    {
        var encoder = OutputEncoder.Create(typeof(object), WorkerSerializerOptions.Create(null, null));
        var next = new HttpTriggerResponse(201).WithBody("next");

        Assert.Throws<InvalidOperationException>(() => encoder.Encode(new ThrowsPartWay()));
        using var encoded = encoder.Encode(next);

        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes<object>(next, WorkerSerializerOptions.Create(null, null)), encoded.Bytes.ToArray());
    }

    /// <summary>
    /// A converter that writes deeper than the serializer's default depth (64, options leaving MaxDepth 0) fails as it
    /// does with the serializer's own writer, whose depth is the options' (the writer's own default is 1,000); and the
    /// thread's writer serves the next output whole.
    /// </summary>
    [Theory]
    [InlineData(0, 65)]
    [InlineData(10, 11)]
    public void Encode_ConverterWritingPastTheMaxDepth_ThrowsAsTheSerializerDoes(int maxDepth, int depth)
    {
        var options = WorkerSerializerOptions.Create(new JsonSerializerOptions { MaxDepth = maxDepth, Converters = { new NestedArraysConverter() } }, null);
        var encoder = OutputEncoder.Create(typeof(NestedArrays), options);
        var next = new NestedArrays(depth - 1);

        var expected = Assert.ThrowsAny<Exception>(() => JsonSerializer.SerializeToUtf8Bytes(new NestedArrays(depth), options)).GetType();
        Assert.IsType(expected, Assert.ThrowsAny<Exception>(() => encoder.Encode(new NestedArrays(depth))));
        using var encoded = encoder.Encode(next);

        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(next, options), encoded.Bytes.ToArray());
    }

    [Theory]
    [MemberData(nameof(BodyLengths))]
    public void Encode_TextOutput_IsItsUtf8(int length)
    {
        var text = Text(length);

        using var encoded = OutputEncoder.Create(typeof(string), WorkerSerializerOptions.Create(null, null)).Encode(text);

        Assert.Equal(Encoding.UTF8.GetBytes(text), encoded.Bytes.ToArray());
        Assert.Equal(ContentTypes.Text, encoded.ContentType);
        Assert.Equal(Encoding.UTF8.GetByteCount(text) >= OutputEncoder.PooledFromBytes, encoded.IsRented);
    }

    [Fact]
    public void LeaveToCollector_RentedOutput_IsNoLongerRented_AndItsBytesStay()
    {
        var encoded = OutputEncoder.Create(typeof(string), WorkerSerializerOptions.Create(null, null)).Encode(Text(OutputEncoder.PooledFromBytes));
        var bytes = encoded.Bytes;

        encoded.LeaveToCollector();
        encoded.Dispose();

        Assert.False(encoded.IsRented);
        Assert.Equal(Encoding.UTF8.GetBytes(Text(OutputEncoder.PooledFromBytes)), bytes.ToArray());
    }

    /// <summary>Text with characters of one, two and three UTF-8 bytes, and one JSON escapes.</summary>
    private static string Text(int length) =>
        string.Create(length, 0, static (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = "ab\"é中 "[i % 6];
            }
        });

    /// <summary>An output whose second property cannot be read: its first is written before the serializer throws.</summary>
    public sealed class ThrowsPartWay
    {
        private readonly int _length = 100;

        public string First => new('a', _length);

        public string Second => throw new InvalidOperationException($"cannot be read after {_length} characters");
    }

    /// <summary>An output its converter writes as arrays nested <see cref="Depth"/> deep.</summary>
    public sealed record NestedArrays(int Depth);

    private sealed class NestedArraysConverter : JsonConverter<NestedArrays>
    {
        public override NestedArrays Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, NestedArrays value, JsonSerializerOptions options)
        {
            for (var level = 0; level < value.Depth; level++)
            {
                writer.WriteStartArray();
            }

            for (var level = 0; level < value.Depth; level++)
            {
                writer.WriteEndArray();
            }
        }
    }
}
