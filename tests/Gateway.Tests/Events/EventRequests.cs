using System.Buffers;
using System.Net;
using System.Text.Json;
using System.Text;
using FcGateway.Dialects.FcV1.Events;
using FcGateway.Dialects;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Gateway.Tests.Events;

/// <summary>Builds <see cref="EventRequest"/>s for the event tests and writes them to JSON text.</summary>
internal static class EventRequests
{
    /// <summary>The seed's example instant: 2023-09-05T06:41:11.895Z.</summary>
    public static readonly DateTimeOffset SeedTime = DateTimeOffset.FromUnixTimeMilliseconds(1693896071895);

    public static EventRequest Create(
        HeaderDictionary? headers = null,
        IEnumerable<KeyValuePair<string, StringValues>>? query = null,
        byte[]? body = null,
        string rawPath = "/",
        string rawQueryString = "",
        string method = "GET",
        string domainName = "echo.cn-hangzhou.fcapp.run",
        string? sourceIp = "40.1.2.3",
        string forwardedFor = "40.1.2.3") => new()
        {
            Method = method,
            RawPath = rawPath,
            RawQueryString = rawQueryString.AsMemory(),
            Protocol = "HTTP/1.1",
            DomainName = domainName,
            SourceIp = sourceIp is null ? null : IPAddress.Parse(sourceIp),
            Headers = headers ?? new HeaderDictionary(),
            Query = query ?? new Dictionary<string, StringValues>(),
            ForwardedFor = forwardedFor,
            Body = body ?? [],
            AccountId = "1234567890",
            RequestId = "1-64f6cd87-e01edb1cce58240ed59b59d9",
            Time = SeedTime,
        };

    public static HeaderDictionary Headers(params (string Name, string Value)[] headers)
    {
        var dictionary = new HeaderDictionary();
        foreach (var (name, value) in headers)
        {
            dictionary.Append(name, value);
        }

        return dictionary;
    }

    public static HeaderDictionary TextHeaders(string contentType = "text/plain") => Headers(("Content-Type", contentType));

    /// <summary>Writes the event and returns its raw UTF-8 bytes.</summary>
    public static byte[] WriteBytes(in EventRequest request)
    {
        var buffer = new ArrayBufferWriter<byte>();
        HttpTriggerEventWriter.Write(buffer, request);
        return buffer.WrittenSpan.ToArray();
    }

    public static string WriteText(in EventRequest request) => Encoding.UTF8.GetString(WriteBytes(request));

    /// <summary>Writes the event and parses it, which fails the test when the event is not valid JSON.</summary>
    public static JsonDocument WriteDocument(in EventRequest request) => JsonDocument.Parse(WriteBytes(request));

    /// <summary>Text of at least <paramref name="minimumLength"/> UTF-8 bytes mixing quotes, escapes and 2-, 3- and 4-byte characters.</summary>
    public static string LargeText(int minimumLength)
    {
        var builder = new StringBuilder();
        var length = 0;
        for (var i = 0; length < minimumLength; i++)
        {
            var piece = $"{i} \"quoted\" é中😀 \\ <&> \n\t";
            builder.Append(piece);
            length += Encoding.UTF8.GetByteCount(piece);
        }

        return builder.ToString();
    }

    /// <summary>The names of an object's properties in order, duplicates included.</summary>
    public static List<string> PropertyNames(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];
}
