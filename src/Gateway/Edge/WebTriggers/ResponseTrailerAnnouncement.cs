using FcGateway.Dialects.FcV1.Output;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace FcGateway.Edge.WebTriggers;

/// <summary>
/// A web worker's <c>Trailer</c> response header names the trailers it will send (RFC 9110 §6.6.2), and the gateway
/// leaves out those a function may not set (<see cref="WebResponseTrailers"/>): the list is held to the same rule, and a
/// header with no name left goes, so the client is never told to expect a trailer that never comes. A response that
/// cannot carry trailers (Kestrel writes none over HTTP/1.x), or whose route copies none of the worker's (YARP's
/// <c>ResponseTrailersCopy: false</c>), gets no <c>Trailer</c> header at all; one whose route copies some only (YARP's
/// <c>ResponseTrailersAllowed</c>) names no others.
/// </summary>
internal static class ResponseTrailerAnnouncement
{
    private const string Separator = ", ";

    /// <summary>Removes from <paramref name="response"/>'s <c>Trailer</c> list every name the client will not get.</summary>
    /// <param name="response">The response, the worker's headers copied to it.</param>
    /// <param name="passed">
    /// The names of the worker's trailers the route passes on when it passes on only those (none when it copies no trailers);
    /// null when it passes on all the gateway lets through.
    /// </param>
    public static void Filter(HttpResponse response, IReadOnlySet<string>? passed)
    {
        var headers = response.Headers;
        var announced = headers.Trailer;
        if (announced.Count == 0)
        {
            return;
        }

        if (passed is { Count: 0 } || !response.SupportsTrailers())
        {
            headers.Remove(HeaderNames.Trailer);
            return;
        }

        if (passed is null && !NamesAReserved(announced))
        {
            return;
        }

        var kept = new List<string>();
        foreach (var value in announced)
        {
            var list = value.AsSpan();
            foreach (var range in list.Split(','))
            {
                var name = list[range].Trim(" \t");
                if (!name.IsEmpty && name.ToString() is var text && WebResponseTrailers.PassesOn(text, passed))
                {
                    kept.Add(text);
                }
            }
        }

        if (kept.Count == 0)
        {
            headers.Remove(HeaderNames.Trailer);
            return;
        }

        headers.Trailer = string.Join(Separator, kept);
    }

    /// <summary>Whether the list names a trailer the gateway leaves out, found without allocating.</summary>
    private static bool NamesAReserved(StringValues announced)
    {
        foreach (var value in announced)
        {
            var list = value.AsSpan();
            foreach (var range in list.Split(','))
            {
                var name = list[range].Trim(" \t");
                if (!name.IsEmpty && ResponseHeaderRules.IsReserved(name))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
