using System.Text.Json;

namespace FcWorker.Samples.Functions;

/// <summary>
/// <c>event-map</c>: a JSON object of any shape. Lists its members in key order:
/// <c>{"key":"value","n":1}</c> → <c>hello, key=value, n=1!</c> (strings unquoted, other values as JSON).
/// </summary>
public static class EventMapFunction
{
    /// <summary>Describes the event's members.</summary>
    /// <param name="event">The JSON object; <c>null</c> reads as an empty one.</param>
    /// <returns>The description.</returns>
    public static string Handle(Dictionary<string, JsonElement>? @event)
    {
        var members = (@event ?? [])
            .OrderBy(member => member.Key, StringComparer.Ordinal)
            .Select(member => $"{member.Key}={Describe(member.Value)}");
        return $"hello, {string.Join(", ", members)}!";
    }

    private static string Describe(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
}
