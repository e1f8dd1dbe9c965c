using System.Buffers;
using System.Text.Json;
using FcGateway.Dialects.FcV1.Events;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Names = FcGateway.Dialects.FunctionUrl.FunctionUrlJsonNames;

namespace FcGateway.Dialects.FunctionUrl;

/// <summary>
/// Writes AWS Lambda's function URL event, payload format 2.0 (wire contract §14), with the FC event's technique and
/// pieces: one cached <see cref="Utf8JsonWriter"/>, minimal escaping, the body streamed after the head by
/// <see cref="EventContent"/> (the two events end alike).
/// </summary>
internal static class FunctionUrlEventWriter
{
    private const string CookieSeparator = "; ";

    /// <summary>AWS's headers: names lower-case, <c>host</c> kept, <c>cookie</c> left out (it is the <c>cookies</c> array).</summary>
    private static readonly EventHeaderStyle HeaderStyle = new()
    {
        WriteName = static (name, destination) => name.ToLowerInvariant(destination),
        OmittedHeader = HeaderNames.Cookie,
        ForwardedForName = Names.XForwardedFor,
    };

    private static readonly EventTimeText TimeText = new("dd'/'MMM'/'yyyy':'HH':'mm':'ss '+0000'");

    /// <summary>Writes everything but the body, leaving the object open for <see cref="EventContent"/>.</summary>
    /// <returns>Whether the body is base64-encoded.</returns>
    public static bool WriteHead(IBufferWriter<byte> output, in EventRequest request)
    {
        var writer = EventJson.StartWriting(output);
        writer.WriteStartObject();
        writer.WriteString(EventJsonNames.Version, Names.V2);
        writer.WriteString(Names.RouteKey, Names.Default);
        writer.WriteString(EventJsonNames.RawPath, request.RawPath);
        writer.WriteString(Names.RawQueryString, request.RawQueryString.Span);
        WriteCookies(writer, request.Headers.Cookie);
        EventHeaders.Write(writer, request, HeaderStyle);
        EventJson.WriteQuery(writer, Names.QueryStringParameters, request.Query, omitWhenEmpty: true);
        WriteRequestContext(writer, request);
        EventJson.FinishWriting(writer);
        return EventBodyEncoding.IsBase64Encoded(request.Headers.ContentType, request.Body.Span);
    }

    /// <summary>
    /// Every <c>Cookie</c> header split at <c>"; "</c>, in order, leaving out pieces with no cookie in them (empty, or only
    /// <c>;</c> and blanks); no property at all when no cookie is left, as when there is no such header.
    /// </summary>
    private static void WriteCookies(Utf8JsonWriter writer, StringValues cookieHeaders)
    {
        var isArrayStarted = false;
        foreach (var header in cookieHeaders)
        {
            var text = header.AsSpan();
            foreach (var range in text.Split(CookieSeparator))
            {
                var piece = text[range];
                if (piece.IndexOfAnyExcept(';', ' ', '\t') < 0)
                {
                    continue;
                }

                if (!isArrayStarted)
                {
                    writer.WriteStartArray(Names.Cookies);
                    isArrayStarted = true;
                }

                writer.WriteStringValue(piece);
            }
        }

        if (isArrayStarted)
        {
            writer.WriteEndArray();
        }
    }

    /// <summary>
    /// Writes <c>requestContext</c>'s <c>accountId</c>, <c>apiId</c>, <c>domainName</c> and <c>domainPrefix</c>, as AWS's
    /// events (this one and API Gateway's) begin it. A function URL's id is its host name's first label, so <c>apiId</c>
    /// and <c>domainPrefix</c> are the same.
    /// </summary>
    public static void WriteAccountAndDomain(Utf8JsonWriter writer, in EventRequest request)
    {
        var domainPrefix = EventJson.DomainPrefix(request.DomainName);
        writer.WriteString(EventJsonNames.AccountId, request.AccountId);
        writer.WriteString(Names.ApiId, domainPrefix);
        writer.WriteString(EventJsonNames.DomainName, request.DomainName);
        writer.WriteString(EventJsonNames.DomainPrefix, domainPrefix);
    }

    /// <summary>
    /// <c>authorizer.iam</c> of a request an <c>AWS_IAM</c> function URL took: the caller's access key and account (the
    /// gateway's, whose keys they are); <c>cognitoIdentity</c> and <c>principalOrgId</c> null, as Lambda sends them for a
    /// caller outside Cognito and organizations. What only IAM knows of the caller (<c>callerId</c>, <c>userArn</c>,
    /// <c>userId</c>) is left out: Lambda always sends them as strings, and parsers that type them so refuse a null.
    /// </summary>
    private static void WriteIamAuthorizer(Utf8JsonWriter writer, string accessKey, string accountId)
    {
        writer.WriteStartObject(Names.Authorizer);
        writer.WriteStartObject(Names.Iam);
        writer.WriteString(Names.AccessKey, accessKey);
        writer.WriteString(EventJsonNames.AccountId, accountId);
        writer.WriteNull(Names.CognitoIdentity);
        writer.WriteNull(Names.PrincipalOrgId);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteRequestContext(Utf8JsonWriter writer, in EventRequest request)
    {
        writer.WriteStartObject(EventJsonNames.RequestContext);
        WriteAccountAndDomain(writer, request);
        if (request.IamAccessKey is { } accessKey)
        {
            WriteIamAuthorizer(writer, accessKey, request.AccountId);
        }

        EventJson.WriteHttp(writer, request);
        writer.WriteString(EventJsonNames.RequestId, request.RequestId);
        writer.WriteString(Names.RouteKey, Names.Default);
        writer.WriteString(Names.Stage, Names.Default);
        writer.WriteString(EventJsonNames.Time, TimeText.Of(request.Time));
        writer.WriteNumber(EventJsonNames.TimeEpoch, request.Time.ToUnixTimeMilliseconds());
        writer.WriteEndObject();
    }
}
