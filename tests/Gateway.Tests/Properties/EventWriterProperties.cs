using System.Text.Json;
using System.Text;
using FsCheck.Fluent;
using FsCheck.Xunit;
using FsCheck;
using Gateway.Tests.Events;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Gateway.Tests.Properties;

/// <summary>
/// For any request, the event written is JSON that parses and gives back what the request held (wire contract
/// §1): the path, Go-canonical header names with repeated values joined by commas, the decoded query, and the
/// body as text when it is text-typed valid UTF-8, else as base64 of the exact bytes.
/// </summary>
public sealed class EventWriterProperties
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    [Property(MaxTest = 200)]
    public Property Write_AnyRequest_IsJsonThatRoundTrips() =>
        Prop.ForAll(GeneratedRequest.Any.ToArbitrary(), (GeneratedRequest generated) =>
        {
            var rawPath = "/" + string.Join('/', generated.PathSegments.Select(Uri.EscapeDataString));
            var headers = EventRequests.Headers(generated.Headers);
            if (generated.ContentType is { } contentType)
            {
                headers.Append("Content-Type", contentType);
            }

            var query = generated.Query.GroupBy(p => p.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => new StringValues([.. g.Select(p => p.Value)]), StringComparer.Ordinal);

            using var document = EventRequests.WriteDocument(EventRequests.Create(
                headers: headers, query: query, body: generated.Body, rawPath: rawPath, method: generated.Method));
            var root = document.RootElement;

            Assert.Equal(rawPath, root.GetProperty("rawPath").GetString());
            var http = root.GetProperty("requestContext").GetProperty("http");
            Assert.Equal(generated.Method, http.GetProperty("method").GetString());
            Assert.Equal("/" + string.Join('/', generated.PathSegments), http.GetProperty("path").GetString());
            Assert.Equal(ExpectedHeaders(generated), Members(root.GetProperty("headers")));
            Assert.Equal(query.ToDictionary(p => p.Key, p => string.Join(',', p.Value.ToArray())), Members(root.GetProperty("queryParameters")));
            AssertBody(generated, root);
        });

    private static Dictionary<string, string> ExpectedHeaders(GeneratedRequest generated)
    {
        var expected = generated.Headers
            .GroupBy(h => GoCanonical(h.Name), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => string.Join(',', g.Select(h => h.Value)), StringComparer.Ordinal);
        if (generated.ContentType is { } contentType)
        {
            expected["Content-Type"] = contentType;
        }

        expected["X-Forwarded-For"] = "40.1.2.3";
        return expected;
    }

    /// <summary>Go's <c>CanonicalMIMEHeaderKey</c> for a token: upper-case the first letter and every letter after '-'.</summary>
    private static string GoCanonical(string name)
    {
        var canonical = new StringBuilder(name.Length);
        var upper = true;
        foreach (var c in name)
        {
            canonical.Append(upper ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c));
            upper = c == '-';
        }

        return canonical.ToString();
    }

    /// <summary>An object's string members; a repeated name fails, as a JSON object's keys must be unique here.</summary>
    private static Dictionary<string, string> Members(JsonElement element)
    {
        var members = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            members.Add(property.Name, property.Value.GetString()!);
        }

        return members;
    }

    private static void AssertBody(GeneratedRequest generated, JsonElement root)
    {
        var body = root.GetProperty("body").GetString()!;
        var asText = generated.ContentTypeIsText && IsUtf8(generated.Body);

        Assert.Equal(!asText, root.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal(generated.Body, asText ? StrictUtf8.GetBytes(body) : Convert.FromBase64String(body));
    }

    private static bool IsUtf8(byte[] bytes)
    {
        try
        {
            StrictUtf8.GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
