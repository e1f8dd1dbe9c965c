using System.Text;
using FcWorker.HttpTrigger;
using Microsoft.AspNetCore.Http;

namespace FcWorker.Samples.Functions;

/// <summary><c>raw-event</c>: FC's GetRawRequestEvent. Answers 200 with the raw event text as the HTTP body.</summary>
public static class RawEventFunction
{
    /// <summary>Returns the event it received, unparsed.</summary>
    /// <param name="event">The raw event bytes.</param>
    /// <returns>The HTTP response for the trigger to send.</returns>
    public static HttpTriggerResponse Handle(byte[] @event) =>
        new HttpTriggerResponse(StatusCodes.Status200OK).WithBody(Encoding.UTF8.GetString(@event));
}
