using System.Globalization;

namespace FcGateway.Dialects.FcV1.Events;

/// <summary>
/// The event's <c>time</c> text, <c>yyyy-MM-ddTHH:mm:ssZ</c> in UTC. It changes once a second, so the text of the
/// current second is kept and reused by every event of that second instead of being formatted each time.
/// </summary>
internal static class EventTimeText
{
    private static Formatted s_last = new(long.MinValue, []);

    public static ReadOnlySpan<byte> Of(DateTimeOffset time)
    {
        var second = time.ToUnixTimeSeconds();
        var last = Volatile.Read(ref s_last);
        if (last.Second == second)
        {
            return last.Text;
        }

        var text = new byte[20];
        time.UtcDateTime.TryFormat(text, out var written, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var formatted = new Formatted(second, text[..written]);
        Volatile.Write(ref s_last, formatted);
        return formatted.Text;
    }

    /// <summary>A second and its text, swapped as one object so a reader never sees one without the other.</summary>
    private sealed record Formatted(long Second, byte[] Text);
}
