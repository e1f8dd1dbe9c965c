using System.Text;
using FcWorker.HttpTrigger;
using Microsoft.AspNetCore.Http;

namespace FcWorker.Samples.Functions;

/// <summary>
/// <c>http-echo</c>: FC's HTTP-trigger echo. Answers 200 with the request body (base64-decoded when the
/// trigger encoded it), 400 when the event is not an HTTP-trigger event or its base64 is broken.
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

        if (@event.IsBase64Encoded != true)
        {
            return new HttpTriggerResponse(StatusCodes.Status200OK).WithBody(@event.Body);
        }

        try
        {
            return new HttpTriggerResponse(StatusCodes.Status200OK).WithBody(Encoding.UTF8.GetString(Convert.FromBase64String(@event.Body)));
        }
        catch (FormatException exception)
        {
            return new HttpTriggerResponse(StatusCodes.Status400BadRequest)
                .WithBody($"HTTP Trigger body is not base64 encoded, err: {exception.Message}");
        }
    }
}
