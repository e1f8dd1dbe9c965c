using System.Buffers;
using System.Globalization;
using System.Text.Json;
using FcGateway.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace FcGateway.Dialects.FcV1.Events;

/// <summary>
/// Writes the FC 3.0 HTTP-trigger event (wire contract §1) straight into a buffer with a
/// <see cref="Utf8JsonWriter"/>: no intermediate object graph, minimal escaping, the body copied once.
/// </summary>
internal static class HttpTriggerEventWriter
{
    private const int StackallocNameLimit = 256;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = MinimalJsonEncoder.Instance, SkipValidation = true };

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Writes the whole event into <paramref name="output"/>.</summary>
    public static void Write(IBufferWriter<byte> output, in EventRequest request)
    {
        var base64 = WriteHead(output, request);
        output.Write(BodyStart);
        JsonStringBody.WriteContent(output, request.Body.Span, base64);
        output.Write(Tail(base64));
    }

    /// <summary>
    /// Writes everything but the body, leaving the object open: the body and its encoding flag go last
    /// (<see cref="EventContent"/> streams them), written by <see cref="JsonStringBody"/> rather than the writer,
    /// whose custom-encoder path escapes character by character.
    /// </summary>
    /// <returns>Whether the body is base64-encoded.</returns>
    public static bool WriteHead(IBufferWriter<byte> output, in EventRequest request)
    {
        var writer = t_writer ??= new Utf8JsonWriter(output, WriterOptions);
        writer.Reset(output);
        writer.WriteStartObject();
        writer.WriteString(EventJsonNames.Version, EventJsonNames.V1);
        writer.WriteString(EventJsonNames.RawPath, request.RawPath);
        WriteHeaders(writer, request);
        WriteQuery(writer, request.Query);
        WriteRequestContext(writer, request);
        writer.Flush();
        writer.Reset(NullBufferWriter.Instance);
        return EventBodyEncoding.IsBase64Encoded(request.Headers.ContentType, request.Body.Span);
    }

    /// <summary>What follows the head, up to the body's string content.</summary>
    public static ReadOnlySpan<byte> BodyStart => ",\"body\":\""u8;

    /// <summary>What closes the event after the body's string content.</summary>
    public static ReadOnlySpan<byte> Tail(bool base64) => base64 ? "\",\"isBase64Encoded\":true}"u8 : "\",\"isBase64Encoded\":false}"u8;

    private static void WriteHeaders(Utf8JsonWriter writer, in EventRequest request)
    {
        writer.WriteStartObject(EventJsonNames.Headers);
        foreach (var header in request.Headers)
        {
            if (IsWrittenSeparatelyOrOmitted(header.Key))
            {
                continue;
            }

            WriteCanonicalName(writer, header.Key);
            WriteJoined(writer, header.Value);
        }

        writer.WriteString(EventJsonNames.XForwardedFor, request.ForwardedFor);
        writer.WriteEndObject();
    }

    private static bool IsWrittenSeparatelyOrOmitted(string name) =>
        name.Equals(HeaderNames.Host, StringComparison.OrdinalIgnoreCase)
        || name.Equals(HeaderNames.Connection, StringComparison.OrdinalIgnoreCase)
        || name.Equals(HeaderNames.KeepAlive, StringComparison.OrdinalIgnoreCase)
        || name.Equals(ForwardedFor.HeaderName, StringComparison.OrdinalIgnoreCase)
        || FcHeaders.IsFcHeader(name);

    private static void WriteCanonicalName(Utf8JsonWriter writer, string name)
    {
        if (name.Length > StackallocNameLimit)
        {
            writer.WritePropertyName(GoCanonicalHeaderName.ToCanonical(name));
            return;
        }

        Span<char> canonical = stackalloc char[name.Length];
        GoCanonicalHeaderName.Write(name, canonical);
        writer.WritePropertyName(canonical);
    }

    private static void WriteQuery(Utf8JsonWriter writer, IEnumerable<KeyValuePair<string, StringValues>> query)
    {
        writer.WriteStartObject(EventJsonNames.QueryParameters);
        foreach (var parameter in query)
        {
            writer.WritePropertyName(parameter.Key);
            WriteJoined(writer, parameter.Value);
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// Repeated values are joined with a comma and no space, as FC does. Empty values keep their place
    /// (<c>a,,b</c>): <see cref="StringValues.ToString()"/> would skip them.
    /// </summary>
    private static void WriteJoined(Utf8JsonWriter writer, StringValues values)
    {
        if (values.Count == 1)
        {
            writer.WriteStringValue(values[0]);
        }
        else
        {
            writer.WriteStringValue(string.Join(',', values.ToArray()));
        }
    }

    private static void WriteRequestContext(Utf8JsonWriter writer, in EventRequest request)
    {
        writer.WriteStartObject(EventJsonNames.RequestContext);
        writer.WriteString(EventJsonNames.AccountId, request.AccountId);
        writer.WriteString(EventJsonNames.DomainName, request.DomainName);
        writer.WriteString(EventJsonNames.DomainPrefix, FirstLabel(request.DomainName));
        writer.WriteString(EventJsonNames.RequestId, request.RequestId);
        WriteTime(writer, request.Time);
        writer.WriteStartObject(EventJsonNames.Http);
        writer.WriteString(EventJsonNames.Method, request.Method);
        writer.WriteString(EventJsonNames.Path, Uri.UnescapeDataString(request.RawPath));
        writer.WriteString(EventJsonNames.Protocol, request.Protocol);
        WriteSourceIp(writer, request);
        writer.WriteString(EventJsonNames.UserAgent, request.Headers.UserAgent.ToString());
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static ReadOnlySpan<char> FirstLabel(string domainName)
    {
        var dot = domainName.IndexOf('.');
        return dot < 0 ? domainName : domainName.AsSpan(0, dot);
    }

    private static void WriteTime(Utf8JsonWriter writer, DateTimeOffset time)
    {
        writer.WriteString(EventJsonNames.Time, EventTimeText.Of(time));
        Span<byte> text = stackalloc byte[20];
        time.ToUnixTimeMilliseconds().TryFormat(text, out var written, default, CultureInfo.InvariantCulture);
        writer.WriteString(EventJsonNames.TimeEpoch, text[..written]);
    }

    private static void WriteSourceIp(Utf8JsonWriter writer, in EventRequest request)
    {
        var address = request.SourceIp;
        if (address is null)
        {
            writer.WriteString(EventJsonNames.SourceIp, ReadOnlySpan<byte>.Empty);
            return;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        Span<byte> text = stackalloc byte[64];
        address.TryFormat(text, out var written);
        writer.WriteString(EventJsonNames.SourceIp, text[..written]);
    }

    /// <summary>Lets the cached writer drop its reference to the last output between events.</summary>
    private sealed class NullBufferWriter : IBufferWriter<byte>
    {
        public static readonly NullBufferWriter Instance = new();

        public void Advance(int count)
        {
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => Array.Empty<byte>();

        public Span<byte> GetSpan(int sizeHint = 0) => [];
    }
}
