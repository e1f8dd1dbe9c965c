using System.Net.Http.Headers;
using System.Text;
using FcGateway.Http;
using FcShared;

namespace FcGateway.Dispatch.Push.Http1;

/// <summary>How a reply's body is delimited (RFC 9112 §6.3).</summary>
internal enum ReplyFraming
{
    None,
    ContentLength,
    Chunked,
    UntilClose,
}

/// <summary>
/// The head of a worker's HTTP/1.1 reply, parsed from its bytes: what the invocation is judged by
/// (<see cref="WorkerReplyHead"/>), how the body is framed, and whether the connection can carry another call. The
/// parser accepts what HttpClient accepts (bare LF line ends, folded lines) and refuses what it refuses (a status that
/// is not three digits, a field name that is not a token), so a worker is judged alike by either client.
/// </summary>
internal readonly record struct ReplyHead(
    WorkerReplyHead Judged,
    ReplyFraming Framing,
    long ContentLength,
    bool KeepsConnection,
    string? UnreadableBody)
{
    /// <summary>A 1xx reply other than 101: another head follows it.</summary>
    public bool IsInterim => Judged.StatusCode is >= 100 and < 200;

    /// <summary>
    /// Parses a head from the start of <paramref name="bytes"/>; false when its blank line has not arrived yet. Throws
    /// <see cref="HttpRequestException"/> with <see cref="HttpRequestError.InvalidResponse"/> for bytes that are no HTTP
    /// reply head.
    /// </summary>
    /// <param name="bytes">The bytes received so far.</param>
    /// <param name="head">The head, when complete.</param>
    /// <param name="length">The head's length in bytes, its blank line included.</param>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out ReplyHead head, out int length)
    {
        head = default;
        length = 0;
        var position = 0;
        if (!HttpHeadLines.TryRead(bytes, ref position, out var statusLine))
        {
            return false;
        }

        var (status, http10) = ParseStatusLine(statusLine);
        var fieldsStart = position;
        var fields = new FieldReader();
        while (true)
        {
            var lineStart = position;
            if (!HttpHeadLines.TryRead(bytes, ref position, out var line))
            {
                return false;
            }

            if (line.IsEmpty)
            {
                break;
            }

            fields.Read(line, lineStart);
        }

        length = position;
        if (fields.Folded)
        {
            // An obsolete line fold continues the value before it, as HttpClient reads it: "Content-Length: 5" folded
            // onto " 6" is not the length 5. The head is read again with its folds made spaces (the rare path only).
            return TryParse(Unfold(bytes[..position], fieldsStart), out head, out _);
        }

        var fcStatus = fields.FcStatusLines == 0 ? null : JoinValues(bytes[..position], "x-fc-status"u8, ",");
        var judged = new WorkerReplyHead(status, fcStatus, fields.FcStatusIsSuccess, null);
        if (!judged.IsSuccess && fields.ContentType is var (start, count))
        {
            judged = judged with { ContentType = ContentTypeOf(bytes.Slice(start, count)) };
        }

        var unusable = fields.ContentLengthState is ContentLengthRule.State.Invalid or ContentLengthRule.State.Conflicting
            ? ContentLengthRule.Describe(fields.ContentLengthState, JoinValues(bytes[..position], "content-length"u8, ", "))
            : null;
        var coded = fields.Encoded && ContentCodingRule.AppliesTo(status);
        var unreadable = unusable ?? (coded ? ContentCodingRule.Describe(JoinValues(bytes[..position], "content-encoding"u8, ", ")) : null);
        var framing = status is 204 or 304 or (>= 100 and < 200) ? ReplyFraming.None
            : fields.Chunked ? ReplyFraming.Chunked
            : fields.ContentLengthState == ContentLengthRule.State.One ? ReplyFraming.ContentLength
            : ReplyFraming.UntilClose;
        var keeps = !http10 && !fields.Close && framing != ReplyFraming.UntilClose && unusable is null;
        head = new ReplyHead(judged, framing, fields.ContentLength, keeps, unreadable);
        return true;
    }

    /// <summary>
    /// <c>HTTP/1.x SP 3DIGIT [SP reason]</c>, any three digits as HttpClient reads them (a status under 100 is a final
    /// one); 101 is refused: the gateway asked for no upgrade. A reason with a CR in it is refused as HttpClient refuses it.
    /// </summary>
    private static (int Status, bool Http10) ParseStatusLine(ReadOnlySpan<byte> line)
    {
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || !char.IsAsciiDigit((char)line[7]) || line[8] != ' '
            || !char.IsAsciiDigit((char)line[9]) || !char.IsAsciiDigit((char)line[10]) || !char.IsAsciiDigit((char)line[11])
            || (line.Length > 12 && line[12] != ' '))
        {
            throw Invalid("its status line is not HTTP/1.x and a three-digit status");
        }

        if (line.Length > 12 && line[13..].Contains((byte)'\r'))
        {
            throw Invalid("its reason phrase holds a CR");
        }

        var status = ((line[9] - '0') * 100) + ((line[10] - '0') * 10) + (line[11] - '0');
        if (status == 101)
        {
            throw Invalid($"status {status}");
        }

        return (status, line[7] == '0');
    }

    /// <summary>The values of every line of a field, joined, for a log line or an error's account; the rare path only.</summary>
    private static string JoinValues(ReadOnlySpan<byte> head, ReadOnlySpan<byte> name, string separator)
    {
        var values = new List<string>();
        var position = 0;
        HttpHeadLines.TryRead(head, ref position, out _);
        while (HttpHeadLines.TryRead(head, ref position, out var line) && !line.IsEmpty)
        {
            var colon = line.IndexOf((byte)':');
            if (colon > 0 && Ascii.EqualsIgnoreCase(FieldName(line[..colon]), name))
            {
                values.Add(Latin1Value(line[(colon + 1)..].Trim(" \t"u8)));
            }
        }

        return string.Join(separator, values);
    }

    /// <summary>A value as HttpClient keeps it: Latin-1, a NUL or a CR in it made a space.</summary>
    private static string Latin1Value(ReadOnlySpan<byte> value) =>
        Encoding.Latin1.GetString(value).Replace('\0', ' ').Replace('\r', ' ');

    /// <summary>
    /// A failure's Content-Type as the HttpClient path reads it (<see cref="HttpContentHeaders.ContentType"/>): parsed as a
    /// media type and written again (<c>text/plain;charset=utf-8</c> is <c>text/plain; charset=utf-8</c>), null when it
    /// is none; the rare path only.
    /// </summary>
    private static string? ContentTypeOf(ReadOnlySpan<byte> value) =>
        MediaTypeHeaderValue.TryParse(Latin1Value(value), out var parsed) ? parsed.ToString() : null;

    /// <summary>
    /// An <c>x-fc-status</c> value other than <c>200</c> that is <c>200</c> as the HttpClient path judges it: with white
    /// space .NET knows (<see cref="string.Trim()"/>: a vertical tab, a form feed, a no-break space…) or a NUL or a CR
    /// (spaces to HttpClient) around it; the rare path only.
    /// </summary>
    private static bool IsPadded200(ReadOnlySpan<byte> value) =>
        value.Length > 3 && Latin1Value(value).Trim() == "200";

    /// <summary>
    /// Refuses a line of a head or of trailers that is no field as HttpClient refuses it; returns where its name ends, or
    /// -1 for a folded continuation of the line before (obsolete, still accepted).
    /// </summary>
    internal static int CheckFieldLine(ReadOnlySpan<byte> line)
    {
        if (line[0] is (byte)' ' or (byte)'\t')
        {
            return -1;
        }

        var colon = NameEnd(line);
        return colon > 0 ? colon : throw Invalid("a header line is not a field");
    }

    /// <summary>Whether a line that is no fold is a field, as <see cref="CheckFieldLine"/> judges it, without throwing.</summary>
    internal static bool IsFieldLine(ReadOnlySpan<byte> line) => NameEnd(line) > 0;

    /// <summary>Where a field line's name ends (its colon), or -1 when what comes before its colon is no token.</summary>
    private static int NameEnd(ReadOnlySpan<byte> line)
    {
        var colon = line.IndexOf((byte)':');
        return colon > 0 && HttpTokens.IsToken(FieldName(line[..colon])) ? colon : -1;
    }

    /// <summary>A field's name: what comes before its colon, spaces after it dropped, as HttpClient takes it.</summary>
    private static ReadOnlySpan<byte> FieldName(ReadOnlySpan<byte> beforeColon) => beforeColon.TrimEnd((byte)' ');

    /// <summary>The head with each line fold (a line end before a space or tab) made spaces, as HttpClient reads it.</summary>
    private static byte[] Unfold(ReadOnlySpan<byte> head, int fieldsStart)
    {
        var unfolded = head.ToArray();
        for (var i = fieldsStart; i < unfolded.Length - 1; i++)
        {
            if (unfolded[i] == '\n' && unfolded[i + 1] is (byte)' ' or (byte)'\t')
            {
                unfolded[i] = (byte)' ';
                if (unfolded[i - 1] == '\r')
                {
                    unfolded[i - 1] = (byte)' ';
                }
            }
        }

        return unfolded;
    }

    internal static HttpRequestException Invalid(string why) =>
        new(HttpRequestError.InvalidResponse, $"The worker's reply is not a valid HTTP response ({why}).");

    /// <summary>Reads the fields the gateway acts on, one line at a time; the others are only checked to be fields.</summary>
    private struct FieldReader()
    {
        public ContentLengthRule.State ContentLengthState;
        public long ContentLength;
        public bool Chunked;
        public bool Close;
        public bool Encoded;
        public int FcStatusLines;
        public bool FcStatusIsSuccess = true;
        public (int Start, int Length)? ContentType;
        public bool Folded;
        private bool _readAField;

        /// <param name="line">The field line, without its line end.</param>
        /// <param name="lineStart">Where the line starts in the head, to find a value again once the head is read.</param>
        public void Read(ReadOnlySpan<byte> line, int lineStart)
        {
            var colon = CheckFieldLine(line);
            if (colon < 0)
            {
                // A folded continuation of the field before (obsolete, still accepted; TryParse unfolds it). Before any
                // field it continues nothing: HttpClient reads it as a name starting with a space, and refuses it.
                Folded = _readAField ? true : throw Invalid("a header line is not a field");
                return;
            }

            var name = FieldName(line[..colon]);
            _readAField = true;
            var rest = line[(colon + 1)..];
            var value = rest.Trim(" \t"u8);
            switch (name.Length)
            {
                case 14 when Ascii.EqualsIgnoreCase(name, "content-length"u8):
                    ContentLengthState = ContentLengthRule.Read(value, ContentLengthState, ref ContentLength);
                    break;
                case 17 when Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8):
                    // As HttpClient: chunked wherever it is named (not only last, on any line valid as a list of codings),
                    // the other codings left applied.
                    Chunked |= TransferCodingList.NamesChunked(value);
                    break;
                case 10 when Ascii.EqualsIgnoreCase(name, "connection"u8):
                    Close |= HttpHeadLines.HasToken(value, "close"u8);
                    break;
                case 11 when Ascii.EqualsIgnoreCase(name, "x-fc-status"u8):
                    FcStatusLines++;
                    FcStatusIsSuccess &= value.SequenceEqual("200"u8) || IsPadded200(value);
                    break;
                case 16 when Ascii.EqualsIgnoreCase(name, "content-encoding"u8):
                    Encoded |= !ContentCodingRule.IsIdentity(value);
                    break;
                case 12 when Ascii.EqualsIgnoreCase(name, "content-type"u8):
                    ContentType ??= (lineStart + colon + 1 + (rest.Length - rest.TrimStart(" \t"u8).Length), value.Length);
                    break;
            }
        }
    }
}
