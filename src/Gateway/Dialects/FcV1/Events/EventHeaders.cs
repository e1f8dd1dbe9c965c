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
/// The other hop-by-hop fields (RFC 9110 §7.6.1) concern the client's connection to the gateway, which an event does
/// not continue: <c>Connection</c>, <c>Keep-Alive</c>, <c>TE</c>, <c>Upgrade</c> (the gateway upgrades no
/// connection to an event function), <c>HTTP2-Settings</c> (which only an <c>Upgrade: h2c</c> carries: curl's
/// <c>--http2</c> sends it on every cleartext request) and the obsolete <c>Proxy-Connection</c> are left out, as YARP
/// leaves them out of what it forwards to a web function.
/// </summary>
internal static class EventHeaders
{
    private const int StackallocNameLimit = 256;
    private const string CookieSeparator = "; ";
    private const string Http2SettingsHeader = "HTTP2-Settings";

    public static void Write(Utf8JsonWriter writer, in EventRequest request, EventHeaderStyle style) =>
        Write(writer, EventJsonNames.Headers, request, style, HeaderValueForm.Joined);

    /// <param name="writer">The event's writer.</param>
    /// <param name="name">The property the object is written under.</param>
    /// <param name="request">The request whose headers are written.</param>
    /// <param name="style">The dialect's names and omissions.</param>
    /// <param name="form">How a header's values are written: joined, the last alone, or an array of each.</param>
    public static void Write(Utf8JsonWriter writer, JsonEncodedText name, in EventRequest request, EventHeaderStyle style, HeaderValueForm form)
    {
        writer.WriteStartObject(name);
        foreach (var header in request.Headers)
        {
            if (IsWrittenSeparatelyOrOmitted(header.Key, style))
            {
                continue;
            }

            WriteName(writer, header.Key, style);
            WriteValues(writer, header, form);
        }

        writer.WritePropertyName(style.ForwardedForName);
        WriteValues(writer, new(ForwardedFor.HeaderName, request.ForwardedFor), form);
        writer.WriteEndObject();
    }

    /// <summary>
    /// The last value stands for the header in <see cref="HeaderValueForm.Last"/>, as API Gateway's REST API writes
    /// <c>headers</c>; but for cookies, which are one list however they were sent.
    /// </summary>
    private static void WriteValues(Utf8JsonWriter writer, KeyValuePair<string, StringValues> header, HeaderValueForm form)
    {
        switch (form)
        {
            case HeaderValueForm.All:
                writer.WriteStartArray();
                foreach (var value in header.Value)
                {
                    writer.WriteStringValue(value);
                }

                writer.WriteEndArray();
                break;
            case HeaderValueForm.Last when header.Value.Count > 1 && !IsCookie(header):
                writer.WriteStringValue(header.Value[^1]);
                break;
            default:
                EventJson.WriteJoined(writer, header.Value, SeparatorOf(header));
                break;
        }
    }

    /// <summary>
    /// Several <c>Cookie</c> headers (a client's over HTTP/1.1, against RFC 6265; HTTP/2 crumbs Kestrel has not joined)
    /// are one list of cookie pairs, joined with <c>"; "</c> as RFC 9113 §8.2.3 says, so that a function's cookie
    /// parser reads every pair; a comma would glue two pairs into one value.
    /// </summary>
    private static string SeparatorOf(KeyValuePair<string, StringValues> header) =>
        header.Value.Count > 1 && IsCookie(header) ? CookieSeparator : ",";

    private static bool IsCookie(KeyValuePair<string, StringValues> header) => header.Key.Equals(HeaderNames.Cookie, StringComparison.OrdinalIgnoreCase);

    private static bool IsWrittenSeparatelyOrOmitted(string name, EventHeaderStyle style) =>
        name.Equals(style.OmittedHeader, StringComparison.OrdinalIgnoreCase)
        || name.Equals(HeaderNames.Connection, StringComparison.OrdinalIgnoreCase)
        || name.Equals(HeaderNames.KeepAlive, StringComparison.OrdinalIgnoreCase)
        || name.Equals(HeaderNames.TransferEncoding, StringComparison.OrdinalIgnoreCase)
        || name.Equals(HeaderNames.Trailer, StringComparison.OrdinalIgnoreCase)
        || name.Equals(HeaderNames.TE, StringComparison.OrdinalIgnoreCase)
        || name.Equals(HeaderNames.Upgrade, StringComparison.OrdinalIgnoreCase)
        || name.Equals(HeaderNames.ProxyConnection, StringComparison.OrdinalIgnoreCase)
        || name.Equals(Http2SettingsHeader, StringComparison.OrdinalIgnoreCase)
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
