using System.Text;
using System.Text.Json;
using FcGateway.Http;
using Microsoft.Net.Http.Headers;

namespace FcGateway.Dialects.FcV1.Output;

/// <summary>
/// Turns a function's output into an HTTP response (wire contract §3; AWS function URLs, §14, differ only as their
/// <see cref="OutputRules"/> say). Output that is a JSON object with a <c>statusCode</c> is a response description;
/// anything else is passed through byte-exact with 200.
/// The output is scanned with a <see cref="Utf8JsonReader"/> twice at most — once to validate and locate
/// the fields, once to emit headers — and never parsed into a document.
/// </summary>
internal static class WorkerOutputTranslator
{
    private const string DefaultContentType = "application/json";

    /// <param name="output">The output bytes; base64 bodies are decoded in place.</param>
    /// <param name="headers">Receives the response headers.</param>
    /// <param name="maxHeaderBytes">The response header limit; more is a bad response.</param>
    /// <param name="rules">Where the dialect's rules differ from FC's.</param>
    /// <returns>The response, with the names of any invalid headers that were dropped, for logging.</returns>
    public static OutputTranslation Translate(Memory<byte> output, IHeaderDictionary headers, int maxHeaderBytes, OutputRules rules)
    {
        if (!OutputFields.TryLocate(output.Span, out var fields, rules.StatusCodeMayBeDigitString))
        {
            return rules.RequiresResponseObject
                ? OutputTranslation.Invalid("The function's output is not a proxy response: a JSON object with statusCode (API Gateway's payload format 1.0).")
                : PassThrough(output, headers);
        }

        if (fields.StatusCodeError is { } statusError)
        {
            return OutputTranslation.Invalid(statusError);
        }

        var sink = new ResponseHeaderSink(headers, maxHeaderBytes);
        var multiValueHeaders = rules.MultiValueHeaders && fields.HasMultiValueHeaders;
        if ((multiValueHeaders && !TryAddHeaders(output.Span, fields.MultiValueHeadersStart, ref sink))
            || (fields.HasHeaders && !TryAddHeaders(output.Span, fields.HeadersStart, ref sink, skipValuesPresent: multiValueHeaders))
            || (rules.CookiesAreSetCookieHeaders && fields.HasCookies && !TryAddCookies(output.Span, fields.CookiesStart, ref sink)))
        {
            return OutputTranslation.Invalid(sink.LimitError, sink.Dropped);
        }

        if (!headers.ContainsKey(HeaderNames.ContentType))
        {
            headers.ContentType = DefaultContentType;
        }

        var body = ReadBody(output, fields);
        return OutputTranslation.Success(fields.StatusCode, body, sink.Dropped);
    }

    private static OutputTranslation PassThrough(Memory<byte> output, IHeaderDictionary headers)
    {
        headers.ContentType = DefaultContentType;
        return OutputTranslation.Success(StatusCodes.Status200OK, output);
    }

    private static ReadOnlyMemory<byte> ReadBody(Memory<byte> output, in OutputFields fields)
    {
        if (!fields.HasBody)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        var body = output.Slice(fields.BodyStart, fields.BodyLength);
        if (!fields.BodyIsString)
        {
            return body;
        }

        if (fields.BodyIsEscaped)
        {
            body = body[..JsonStringUnescaper.UnescapeInPlace(body.Span)];
        }

        if (fields.IsBase64Encoded && OutputBase64.TryDecodeInPlace(body.Span, out var decoded))
        {
            body = body[..decoded];
        }

        return body;
    }

    /// <param name="output">The output.</param>
    /// <param name="headersStart">Where the headers object starts.</param>
    /// <param name="sink">Receives the headers.</param>
    /// <param name="skipValuesPresent">
    /// Whether a header whose values the response has already (from <c>multiValueHeaders</c>) is left out: API Gateway
    /// merges the two fields and sends a pair given in both once.
    /// </param>
    private static bool TryAddHeaders(ReadOnlySpan<byte> output, int headersStart, ref ResponseHeaderSink sink, bool skipValuesPresent = false)
    {
        var reader = new Utf8JsonReader(output[headersStart..], GatewayJson.ReaderOptions);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!HeaderValueReader.TryGetString(ref reader, out var name))
            {
                sink.Drop(Encoding.UTF8.GetString(reader.ValueSpan));
                reader.Read();
                reader.Skip();
                continue;
            }

            reader.Read();
            if (!HeaderValueReader.TryRead(ref reader, out var values))
            {
                sink.Drop(name);
                continue;
            }

            if (skipValuesPresent && sink.HasAll(name, values))
            {
                continue;
            }

            if (!sink.TryAdd(name, values))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The output's <c>cookies</c>, read as a header's value: one <c>Set-Cookie</c> line per element.</summary>
    private static bool TryAddCookies(ReadOnlySpan<byte> output, int cookiesStart, ref ResponseHeaderSink sink)
    {
        var reader = new Utf8JsonReader(output[cookiesStart..], GatewayJson.ReaderOptions);
        reader.Read();
        if (!HeaderValueReader.TryRead(ref reader, out var cookies))
        {
            sink.Drop(HeaderNames.SetCookie);
            return true;
        }

        return sink.TryAdd(HeaderNames.SetCookie, cookies);
    }
}
