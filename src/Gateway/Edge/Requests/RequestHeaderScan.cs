using FcGateway.Http;

namespace FcGateway.Edge.Requests;

/// <summary>
/// One pass over a request's headers: the bytes they take, which the header limit is held to
/// (<see cref="RequestLimits"/>), and whether a name holds an underscore or is an <c>x-fc-*</c> name in either spelling
/// (<see cref="FcHeaders"/>), which tells the steps that remove such headers
/// (<see cref="UntrustedForwardingHeaders.RemoveUnderscoreSpellings"/>, <see cref="ClientFcHeadersMiddleware"/>) whether
/// to look at all. Every enumeration of Kestrel's headers through <see cref="IHeaderDictionary"/> allocates its
/// enumerator, so the steps that would each have enumerated them read this instead. Between the scan and those steps the
/// gateway only removes client headers, and adds none with such a name, so a name the scan did not see is not there.
/// </summary>
internal readonly record struct RequestHeaderScan(long Bytes, bool HasUnderscoreName, bool HasFcName)
{
    public static RequestHeaderScan Of(IHeaderDictionary headers)
    {
        long bytes = 0;
        var underscore = false;
        var fc = false;
        foreach (var header in headers)
        {
            if (header.Key.Contains('_'))
            {
                underscore = true;
            }

            fc = fc || FcHeaders.IsFcHeader(header.Key);
            foreach (var value in header.Value)
            {
                bytes += HeaderBytes.Of(header.Key, value);
            }
        }

        return new(bytes, underscore, fc);
    }
}
