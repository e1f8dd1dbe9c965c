using System.Buffers;
using System.Text.Json;
using FcGateway.Dialects.FcV1.Events;
using FcGateway.Dialects.FunctionUrl;
using Microsoft.Extensions.Primitives;
using Names = FcGateway.Dialects.ApiGatewayV1.ApiGatewayV1JsonNames;

namespace FcGateway.Dialects.ApiGatewayV1;

/// <summary>
/// Writes API Gateway's payload format 1.0 (the REST API's proxy event, as an HTTP API sends it with version 1.0), with
/// the technique and pieces of the other events: one cached <see cref="Utf8JsonWriter"/>, minimal escaping, the body
/// streamed after the head by <see cref="EventContent"/>. Header names are kept as the client sent them; <c>headers</c>
/// and <c>queryStringParameters</c> hold the last value of a repeated one, the <c>multiValue</c> fields every value.
/// The gateway's route is the API's one resource, so <c>resource</c> is the path and there are no path parameters.
/// </summary>
internal static class ApiGatewayV1EventWriter
{
    private static readonly EventHeaderStyle HeaderStyle = new()
    {
        WriteName = static (name, destination) => name.CopyTo(destination),
        OmittedHeader = "",
        ForwardedForName = EventJsonNames.XForwardedFor,
    };

    private static readonly EventTimeText TimeText = new("dd'/'MMM'/'yyyy':'HH':'mm':'ss '+0000'");

    /// <summary>Writes everything but the body, leaving the object open for <see cref="EventContent"/>.</summary>
    /// <returns>Whether the body is base64-encoded.</returns>
    public static bool WriteHead(IBufferWriter<byte> output, in EventRequest request)
    {
        var path = EventJson.DecodedPath(request.RawPath);
        var writer = EventJson.StartWriting(output);
        writer.WriteStartObject();
        writer.WriteString(EventJsonNames.Version, Names.V1);
        writer.WriteString(Names.Resource, path);
        writer.WriteString(EventJsonNames.Path, path);
        writer.WriteString(Names.HttpMethod, request.Method);
        EventHeaders.Write(writer, EventJsonNames.Headers, request, HeaderStyle, HeaderValueForm.Last);
        EventHeaders.Write(writer, Names.MultiValueHeaders, request, HeaderStyle, HeaderValueForm.All);
        WriteQuery(writer, request.Query);
        writer.WriteNull(Names.PathParameters);
        writer.WriteNull(Names.StageVariables);
        WriteRequestContext(writer, request, path);
        EventJson.FinishWriting(writer);
        return EventBodyEncoding.IsBase64Encoded(request.Headers.ContentType, request.Body.Span);
    }

    /// <summary>The two query objects, each <c>null</c> when there is no query, as API Gateway writes them.</summary>
    private static void WriteQuery(Utf8JsonWriter writer, IEnumerable<KeyValuePair<string, StringValues>> query)
    {
        using (var parameters = query.GetEnumerator())
        {
            if (!parameters.MoveNext())
            {
                writer.WriteNull(FunctionUrlJsonNames.QueryStringParameters);
                writer.WriteNull(Names.MultiValueQueryStringParameters);
                return;
            }
        }

        writer.WriteStartObject(FunctionUrlJsonNames.QueryStringParameters);
        foreach (var (key, values) in query)
        {
            writer.WriteString(key, values.Count == 0 ? "" : values[^1]);
        }

        writer.WriteEndObject();
        writer.WriteStartObject(Names.MultiValueQueryStringParameters);
        foreach (var (key, values) in query)
        {
            writer.WriteStartArray(key);
            foreach (var value in values)
            {
                writer.WriteStringValue(value);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void WriteRequestContext(Utf8JsonWriter writer, in EventRequest request, string path)
    {
        writer.WriteStartObject(EventJsonNames.RequestContext);
        FunctionUrlEventWriter.WriteAccountAndDomain(writer, request);
        writer.WriteString(Names.ExtendedRequestId, request.RequestId);
        writer.WriteString(Names.HttpMethod, request.Method);
        writer.WriteStartObject(Names.Identity);
        if (request.IamAccessKey is { } accessKey)
        {
            // As API Gateway's IAM authorization tells the function who signed: the key, and the account it belongs to.
            writer.WriteString(FunctionUrlJsonNames.AccessKey, accessKey);
            writer.WriteString(EventJsonNames.AccountId, request.AccountId);
        }

        EventJson.WriteSourceIp(writer, request.SourceIp);
        writer.WriteString(EventJsonNames.UserAgent, request.Headers.UserAgent.ToString());
        writer.WriteEndObject();
        writer.WriteString(EventJsonNames.Path, path);
        writer.WriteString(EventJsonNames.Protocol, request.Protocol);
        writer.WriteString(EventJsonNames.RequestId, request.RequestId);
        writer.WriteString(Names.RequestTime, TimeText.Of(request.Time));
        writer.WriteNumber(Names.RequestTimeEpoch, request.Time.ToUnixTimeMilliseconds());
        writer.WriteString(Names.ResourcePath, path);
        writer.WriteString(FunctionUrlJsonNames.Stage, FunctionUrlJsonNames.Default);
        writer.WriteEndObject();
    }
}
