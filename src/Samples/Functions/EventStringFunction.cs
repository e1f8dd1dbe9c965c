namespace FcWorker.Samples.Functions;

/// <summary><c>event-string</c>: the raw event as UTF-8 text. <c>FC</c> → <c>hello, FC!</c>.</summary>
public static class EventStringFunction
{
    /// <summary>Greets whatever text the event holds.</summary>
    /// <param name="event">The raw event text.</param>
    /// <returns>The greeting.</returns>
    public static string Handle(string @event) => $"hello, {@event}!";
}
