using System.Buffers.Text;
using System.Text;
using FcShared;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace FcWorker.RuntimeApi;

/// <summary>
/// The head of the runtime API's HTTP/1.1 answer: its status, its headers (collected only where the caller reads them),
/// how its body is framed (RFC 9112 §6.3) and whether the connection can carry another request. Values are read as
/// Latin-1, as HttpClient reads them.
/// </summary>
internal readonly record struct AnswerHead(int StatusCode, HeaderDictionary? Headers, long? ContentLength, bool Chunked, bool KeepsConnection)
{
    /// <summary>A 1xx answer other than 101: the answer's head follows it.</summary>
    public bool IsInterim => StatusCode is >= 100 and < 200 and not 101;

    /// <summary>An answer with no body whatever its headers say (RFC 9112 §6.3).</summary>
    public bool IsBodiless => StatusCode is 204 or 304 || IsInterim;

    /// <summary>Parses a head from the start of <paramref name="bytes"/>; false while its blank line has not arrived.</summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, bool collectHeaders, out AnswerHead head, out int length)
    {
        head = default;
        length = 0;
        var position = 0;
        if (!HttpHeadLines.TryRead(bytes, ref position, out var statusLine))
        {
            return false;
        }

        var (status, http10) = ParseStatusLine(statusLine);
        var headers = collectHeaders ? new HeaderDictionary() : null;
        long? contentLength = null;
        var chunked = false;
        var close = false;
        var keepAlive = false;
        while (true)
        {
            if (!HttpHeadLines.TryRead(bytes, ref position, out var line))
            {
                return false;
            }

            if (line.IsEmpty)
            {
                break;
            }

            // Spaces before the colon are dropped, as HttpClient drops them; a line folded onto the one before is refused.
            var colon = line.IndexOf((byte)':');
            var name = colon > 0 ? line[..colon].TrimEnd((byte)' ') : default;
            if (name.IsEmpty || line[0] is (byte)' ' or (byte)'\t' || name[^1] == (byte)'\t')
            {
                throw Invalid("a header line is not 'name: value'");
            }

            var value = line[(colon + 1)..].Trim(" \t"u8);
            if (Ascii.EqualsIgnoreCase(name, "content-length"u8))
            {
                var declared = ParseLength(value);
                if (contentLength is { } earlier && earlier != declared)
                {
                    throw Invalid("it declares two lengths");
                }

                contentLength = declared;
            }
            else if (Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8))
            {
                // As HttpClient reads it: chunked when any well-formed Transfer-Encoding line names it, last coding or not.
                chunked |= TransferCodingList.NamesChunked(value);
            }
            else if (Ascii.EqualsIgnoreCase(name, "connection"u8))
            {
                // Across every Connection line, and "close" wins, as HttpClient reads it.
                close |= HttpHeadLines.HasToken(value, "close"u8);
                keepAlive |= HttpHeadLines.HasToken(value, "keep-alive"u8);
            }

            if (headers is not null)
            {
                var key = Encoding.Latin1.GetString(name);
                var text = Encoding.Latin1.GetString(value);
                headers[key] = headers.TryGetValue(key, out var earlier) ? StringValues.Concat(earlier, text) : new StringValues(text);
            }
        }

        length = position;
        head = new AnswerHead(status, headers, chunked ? null : contentLength, chunked, !close && (!http10 || keepAlive));
        return true;
    }

    private static (int Status, bool Http10) ParseStatusLine(ReadOnlySpan<byte> line)
    {
        // HTTP/1.x SP 3DIGIT [SP reason], any three digits (one under 100 is final) and no CR in the reason, as HttpClient reads it.
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || !char.IsAsciiDigit((char)line[7]) || line[8] != (byte)' '
            || line.Slice(9, 3).IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0
            || (line.Length > 12 && line[12] != (byte)' ') || line.Contains((byte)'\r'))
        {
            throw Invalid("its status line is not HTTP/1.x");
        }

        return (((line[9] - '0') * 100) + ((line[10] - '0') * 10) + (line[11] - '0'), line[7] == (byte)'0');
    }

    private static long ParseLength(ReadOnlySpan<byte> value) =>
        !value.IsEmpty && char.IsAsciiDigit((char)value[0]) && Utf8Parser.TryParse(value, out long length, out var consumed) && consumed == value.Length
            ? length
            : throw Invalid("its Content-Length is not a number");

    private static HttpRequestException Invalid(string why) =>
        new(HttpRequestError.InvalidResponse, $"The runtime API's answer is not valid HTTP/1.1: {why}.");
}
