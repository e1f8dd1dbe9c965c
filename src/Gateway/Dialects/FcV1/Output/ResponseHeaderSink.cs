using FcGateway.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace FcGateway.Dialects.FcV1.Output;

/// <summary>
/// Adds the headers a function's output carries to the response (wire contract §3): reserved names are ignored,
/// invalid names and values dropped and named for the log, and every header returned counts towards the response header limit.
/// </summary>
/// <param name="headers">Receives the response headers.</param>
/// <param name="maxHeaderBytes">The response header limit; more is a bad response.</param>
internal struct ResponseHeaderSink(IHeaderDictionary headers, int maxHeaderBytes)
{
    private long _bytes;

    /// <summary>The names of the invalid headers that were dropped; null on the usual path.</summary>
    public List<string>? Dropped { get; private set; }

    public readonly string LimitError => $"The function's response headers exceed {maxHeaderBytes} bytes.";

    /// <summary>Adds one header's values, one line each; false when the headers now exceed the limit.</summary>
    public bool TryAdd(string name, StringValues values)
    {
        foreach (var value in values)
        {
            _bytes += HeaderBytes.Of(name, value);
        }

        if (_bytes > maxHeaderBytes)
        {
            return false;
        }

        if (values.Count == 0 || ResponseHeaderRules.IsReserved(name))
        {
            return true;
        }

        if (!HttpTokens.IsToken(name))
        {
            Drop(name);
            return true;
        }

        if (!AllValid(values))
        {
            // Only the values that cannot be sent are dropped: one bad Set-Cookie in an array takes none of the others with it.
            Drop(name);
            values = ValidOnes(values);
            if (values.Count == 0)
            {
                return true;
            }
        }

        if (name.Equals(HeaderNames.ContentType, StringComparison.OrdinalIgnoreCase))
        {
            // One Content-Type, the last given: an output may spell it twice ("content-type", "Content-Type"), and two
            // lines of it are not a valid response. An empty one is none, as for any header, so the default applies.
            if (string.IsNullOrEmpty(values[^1]))
            {
                headers.Remove(HeaderNames.ContentType);
            }
            else
            {
                headers.ContentType = values[^1];
            }

            return true;
        }

        headers.Append(name, values);
        return true;
    }

    /// <summary>Whether the response has every one of <paramref name="values"/> under <paramref name="name"/> already.</summary>
    public readonly bool HasAll(string name, StringValues values)
    {
        var present = headers[name];
        foreach (var value in values)
        {
            if (!present.Contains(value))
            {
                return false;
            }
        }

        return present.Count > 0;
    }

    /// <summary>Records a header that cannot be sent, for the log.</summary>
    public void Drop(string name) => (Dropped ??= []).Add(name);

    private static bool AllValid(StringValues values)
    {
        foreach (var value in values)
        {
            if (!IsValid(value))
            {
                return false;
            }
        }

        return true;
    }

    private static StringValues ValidOnes(StringValues values) => new([.. values.Where(IsValid)]);

    private static bool IsValid(string? value) => value is not null && HttpTokens.IsValidFieldValue(value);
}
