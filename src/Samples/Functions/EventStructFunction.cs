namespace FcWorker.Samples.Functions;

/// <summary><c>event-struct</c>: a typed JSON event. <c>{"key":"value"}</c> → <c>hello, value!</c>.</summary>
public static class EventStructFunction
{
    /// <summary>Greets the event's key.</summary>
    /// <param name="event">The JSON event.</param>
    /// <returns>The greeting.</returns>
    public static string Handle(StructEvent @event) => $"hello, {@event.Key}!";
}
