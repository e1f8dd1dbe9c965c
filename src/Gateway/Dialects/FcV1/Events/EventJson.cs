using System.Buffers;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Primitives;

namespace FcGateway.Dialects.FcV1.Events;

/// <summary>
/// What the event writers of every dialect share: one cached <see cref="Utf8JsonWriter"/> per thread with minimal
/// escaping, and the fields both events write alike (joined values, the query, <c>requestContext.http</c>).
/// </summary>
internal static class EventJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = MinimalJsonEncoder.Instance, SkipValidation = true };
    private static readonly SearchValues<char> DigitsAndDots = SearchValues.Create("0123456789.");

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>The thread's writer, set to write into <paramref name="output"/>; give it back with <see cref="FinishWriting"/>.</summary>
    public static Utf8JsonWriter StartWriting(IBufferWriter<byte> output)
    {
        var writer = t_writer ??= new Utf8JsonWriter(output, WriterOptions);
        writer.Reset(output);
        return writer;
    }

    /// <summary>Flushes what was written and lets the cached writer drop its reference to the output.</summary>
    public static void FinishWriting(Utf8JsonWriter writer)
    {
        writer.Flush();
        writer.Reset(NullBufferWriter.Instance);
    }

    /// <summary>
    /// Repeated values are joined with a comma and no space, as FC and AWS do, or with <paramref name="separator"/>.
    /// Empty values keep their place (<c>a,,b</c>): <see cref="StringValues.ToString()"/> would skip them.
    /// </summary>
    public static void WriteJoined(Utf8JsonWriter writer, StringValues values, string separator = ",")
    {
        if (values.Count == 1)
        {
            writer.WriteStringValue(values[0]);
        }
        else
        {
            writer.WriteStringValue(string.Join(separator, values.ToArray()));
        }
    }

    /// <summary>Writes the decoded query as an object of joined values.</summary>
    /// <param name="writer">The event's writer.</param>
    /// <param name="name">The property the object is written under.</param>
    /// <param name="query">The decoded query.</param>
    /// <param name="omitWhenEmpty">Whether no query leaves the property out rather than writing <c>{}</c>.</param>
    public static void WriteQuery(Utf8JsonWriter writer, JsonEncodedText name, IEnumerable<KeyValuePair<string, StringValues>> query, bool omitWhenEmpty)
    {
        using var parameters = query.GetEnumerator();
        var more = parameters.MoveNext();
        if (!more && omitWhenEmpty)
        {
            return;
        }

        writer.WriteStartObject(name);
        for (; more; more = parameters.MoveNext())
        {
            writer.WritePropertyName(parameters.Current.Key);
            WriteJoined(writer, parameters.Current.Value);
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// The first label of a host name, which FC and AWS call the domain prefix; an IP address has no labels, and is its
    /// own prefix (not <c>127</c> of <c>127.0.0.1</c>, nor <c>[::ffff:1</c> of <c>[::ffff:1.2.3.4]</c>).
    /// </summary>
    public static ReadOnlySpan<char> DomainPrefix(string domainName)
    {
        var dot = domainName.IndexOf('.');
        return dot < 0 || IsIpAddress(domainName) ? domainName : domainName.AsSpan(0, dot);
    }

    /// <summary>An IPv6 literal, or digits and dots only: a host name's last label is never all digits.</summary>
    private static bool IsIpAddress(string host) => host.StartsWith('[') || !host.AsSpan().ContainsAnyExcept(DigitsAndDots);

    /// <summary>Writes <c>requestContext.http</c>: method, decoded path, protocol, the peer's address and the user agent.</summary>
    public static void WriteHttp(Utf8JsonWriter writer, in EventRequest request)
    {
        writer.WriteStartObject(EventJsonNames.Http);
        writer.WriteString(EventJsonNames.Method, request.Method);
        writer.WriteString(EventJsonNames.Path, DecodedPath(request.RawPath));
        writer.WriteString(EventJsonNames.Protocol, request.Protocol);
        WriteSourceIp(writer, request.SourceIp);
        // Joined as the User-Agent of the event's headers is, so the two never disagree.
        writer.WritePropertyName(EventJsonNames.UserAgent);
        WriteJoined(writer, request.Headers.UserAgent);
        writer.WriteEndObject();
    }

    /// <summary>
    /// The path with each <c>%XX</c> decoded once and the bytes read as UTF-8, those that are not UTF-8 as U+FFFD (as Go
    /// reads them, and as the query's are); a <c>+</c> stays a <c>+</c>, and an escape that is not one stays as it is.
    /// </summary>
    public static string DecodedPath(string rawPath) =>
        rawPath.Contains('%', StringComparison.Ordinal) ? WebUtility.UrlDecode(rawPath.Replace("+", "%2B", StringComparison.Ordinal)) : rawPath;

    public static void WriteSourceIp(Utf8JsonWriter writer, IPAddress? address)
    {
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
