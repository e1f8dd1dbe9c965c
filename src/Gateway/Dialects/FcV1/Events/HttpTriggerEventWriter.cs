using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace FcGateway.Dialects.FcV1.Events;

/// <summary>
/// Writes the FC 3.0 HTTP-trigger event (wire contract §1) straight into a buffer with a
/// <see cref="Utf8JsonWriter"/>: no intermediate object graph, minimal escaping, the body copied once.
/// </summary>
internal static class HttpTriggerEventWriter
{
    /// <summary>FC's headers: names in Go's canonical form, <c>Host</c> left out (it is <c>requestContext.domainName</c>).</summary>
    private static readonly EventHeaderStyle HeaderStyle = new()
    {
        WriteName = GoCanonicalHeaderName.Write,
        OmittedHeader = HeaderNames.Host,
        ForwardedForName = EventJsonNames.XForwardedFor,
    };

    private static readonly EventTimeText TimeText = new("yyyy-MM-dd'T'HH:mm:ss'Z'");

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
        var writer = EventJson.StartWriting(output);
        writer.WriteStartObject();
        writer.WriteString(EventJsonNames.Version, EventJsonNames.V1);
        writer.WriteString(EventJsonNames.RawPath, request.RawPath);
        EventHeaders.Write(writer, request, HeaderStyle);
        EventJson.WriteQuery(writer, EventJsonNames.QueryParameters, request.Query, omitWhenEmpty: false);
        WriteRequestContext(writer, request);
        EventJson.FinishWriting(writer);
        return EventBodyEncoding.IsBase64Encoded(request.Headers.ContentType, request.Body.Span);
    }

    /// <summary>What follows the head, up to the body's string content.</summary>
    public static ReadOnlySpan<byte> BodyStart => ",\"body\":\""u8;

    /// <summary>What closes the event after the body's string content.</summary>
    public static ReadOnlySpan<byte> Tail(bool base64) => base64 ? "\",\"isBase64Encoded\":true}"u8 : "\",\"isBase64Encoded\":false}"u8;

    private static void WriteRequestContext(Utf8JsonWriter writer, in EventRequest request)
    {
        writer.WriteStartObject(EventJsonNames.RequestContext);
        writer.WriteString(EventJsonNames.AccountId, request.AccountId);
        writer.WriteString(EventJsonNames.DomainName, request.DomainName);
        writer.WriteString(EventJsonNames.DomainPrefix, EventJson.DomainPrefix(request.DomainName));
        writer.WriteString(EventJsonNames.RequestId, request.RequestId);
        WriteTime(writer, request.Time);
        EventJson.WriteHttp(writer, request);
        writer.WriteEndObject();
    }

    /// <summary>FC writes <c>timeEpoch</c> as a string of Unix milliseconds.</summary>
    private static void WriteTime(Utf8JsonWriter writer, DateTimeOffset time)
    {
        writer.WriteString(EventJsonNames.Time, TimeText.Of(time));
        Span<byte> text = stackalloc byte[20];
        time.ToUnixTimeMilliseconds().TryFormat(text, out var written, default, CultureInfo.InvariantCulture);
        writer.WriteString(EventJsonNames.TimeEpoch, text[..written]);
    }
}
