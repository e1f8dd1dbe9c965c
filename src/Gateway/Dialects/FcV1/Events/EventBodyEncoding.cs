using System.Text.Unicode;

namespace FcGateway.Dialects.FcV1.Events;

/// <summary>
/// Decides whether an event body is passed as text or base64 (wire contract §1): text only for the media
/// types FC lists, compared case-insensitively without parameters; a missing type, any other type, and text
/// that is not valid UTF-8 are base64-encoded so no byte is ever lost.
/// </summary>
internal static class EventBodyEncoding
{
    private static readonly string[] TextMediaTypes =
    [
        "application/json",
        "application/ld+json",
        "application/xhtml+xml",
        "application/xml",
        "application/atom+xml",
        "application/javascript",
    ];

    public static bool IsBase64Encoded(string? contentType, ReadOnlySpan<byte> body) =>
        !IsTextMediaType(contentType) || !Utf8.IsValid(body);

    public static bool IsTextMediaType(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return false;
        }

        var mediaType = contentType.AsSpan();
        var parameters = mediaType.IndexOf(';');
        if (parameters >= 0)
        {
            mediaType = mediaType[..parameters];
        }

        mediaType = mediaType.Trim();
        if (mediaType.StartsWith("text/", StringComparison.OrdinalIgnoreCase))
        {
            return mediaType.Length > "text/".Length;
        }

        foreach (var textType in TextMediaTypes)
        {
            if (mediaType.Equals(textType, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
