using System.Text;
using System.Text.Unicode;
using FcWorker.HttpTrigger;
using Microsoft.AspNetCore.Http;

namespace FcWorker.Samples.Functions;

/// <summary>
/// <c>http-echo</c>: FC's HTTP-trigger echo. Answers 200 with the request body byte for byte and its
/// <c>Content-Type</c>, 400 when the event is not an HTTP-trigger event or its base64 is broken.
/// </summary>
public static class HttpEchoFunction
{
    /// <summary>Echoes the HTTP request body.</summary>
    /// <param name="event">The HTTP-trigger event.</param>
    /// <returns>The HTTP response for the trigger to send.</returns>
    public static HttpTriggerResponse Handle(HttpTriggerEvent @event)
    {
        if (@event.Body is null)
        {
            return new HttpTriggerResponse(StatusCodes.Status400BadRequest)
                .WithBody($"the request did not come from an HTTP Trigger, event: {@event}");
        }

        var response = new HttpTriggerResponse(StatusCodes.Status200OK).WithHeaders(ContentTypeOf(@event));
        if (@event.IsBase64Encoded != true)
        {
            return response.WithBody(@event.Body);
        }

        byte[] bytes;
        try
        {
            bytes = @event.DecodeBody();
        }
        catch (FormatException exception)
        {
            return new HttpTriggerResponse(StatusCodes.Status400BadRequest)
                .WithBody($"HTTP Trigger body is not base64 encoded, err: {exception.Message}");
        }

        // Bytes that are not UTF-8 would turn into U+FFFD as text, which would not echo them: the trigger's base64 goes
        // back as it came, so the bytes do too. Checked, not caught: a binary body is the common case, not an error.
        return Utf8.IsValid(bytes)
            ? response.WithBody(Encoding.UTF8.GetString(bytes))
            : response.WithBody(@event.Body).WithIsBase64Encoded(true);
    }

    private static Dictionary<string, string>? ContentTypeOf(HttpTriggerEvent @event)
    {
        foreach (var (name, value) in @event.Headers ?? new Dictionary<string, string>())
        {
            if (string.Equals(name, "Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                return new Dictionary<string, string> { ["Content-Type"] = value };
            }
        }

        return null;
    }
}
