using System.Buffers;
using System.Text.Json;
using FcGateway.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace FcGateway.Dialects.FcV1.Events;

/// <summary>
/// Writes an event's <c>headers</c> object: every request header but the hop-by-hop ones and the gateway's own
/// <c>x-fc-</c> headers, repeated values joined with a comma (cookies with <c>"; "</c>), and <c>X-Forwarded-For</c> once, as the gateway sends it on.
/// <c>Transfer-Encoding</c> and <c>Trailer</c> describe how the client framed its body, which the event carries whole and
/// without trailers, so they are left out as Go's net/http (FC's runtimes) leaves them out of a request's header map;
/// a function that sent the event's headers on with its body would otherwise announce a chunked body it does not send.
/// </summary>
internal static class EventHeaders
{
    private const int StackallocNameLimit = 256;
    private const string CookieSeparator = "; ";

    public static void Write(Utf8JsonWriter writer, in EventRequest request, EventHeaderStyle style)
    {
        writer.WriteStartObject(EventJsonNames.Headers);
        foreach (var header in request.Headers)
        {
            if (IsWrittenSeparatelyOrOmitted(header.Key, style))
            {
                continue;
            }

            WriteName(writer, header.Key, style);
            EventJson.WriteJoined(writer, header.Value, SeparatorOf(header));
        }

        writer.WriteString(style.ForwardedForName, request.ForwardedFor);
        writer.WriteEndObject();
    }

    /// <summary>
    /// Several <c>Cookie</c> headers (a client's over HTTP/1.1, against RFC 6265; HTTP/2 crumbs Kestrel has not joined)
    /// are one list of cookie pairs, joined with <c>"; "</c> as RFC 9113 §8.2.3 says, so that a function's cookie
    /// parser reads every pair; a comma would glue two pairs into one value.
    /// </summary>
    private static string SeparatorOf(KeyValuePair<string, StringValues> header) =>
        header.Value.Count > 1 && header.Key.Equals(HeaderNames.Cookie, StringComparison.OrdinalIgnoreCase) ? CookieSeparator : ",";

    private static bool IsWrittenSeparatelyOrOmitted(string name, EventHeaderStyle style) =>
        name.Equals(style.OmittedHeader, StringComparison.OrdinalIgnoreCase)
        || name.Equals(HeaderNames.Connection, StringComparison.OrdinalIgnoreCase)
        || name.Equals(HeaderNames.KeepAlive, StringComparison.OrdinalIgnoreCase)
        || name.Equals(HeaderNames.TransferEncoding, StringComparison.OrdinalIgnoreCase)
        || name.Equals(HeaderNames.Trailer, StringComparison.OrdinalIgnoreCase)
        || name.Equals(ForwardedFor.HeaderName, StringComparison.OrdinalIgnoreCase)
        || FcHeaders.IsFcHeader(name);

    private static void WriteName(Utf8JsonWriter writer, string name, EventHeaderStyle style)
    {
        char[]? rented = null;
        var destination = name.Length <= StackallocNameLimit
            ? stackalloc char[name.Length]
            : rented = ArrayPool<char>.Shared.Rent(name.Length);
        destination = destination[..name.Length]; // a rented array may be longer
        style.WriteName(name, destination);
        writer.WritePropertyName(destination);
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }
}
