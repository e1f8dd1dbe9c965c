using System.Globalization;

namespace FcGateway.Dialects.FcV1.Events;

/// <summary>
/// An event's <c>time</c> text in UTC, in one fixed format. It changes once a second, so the text of the current
/// second is kept and reused by every event of that second instead of being formatted each time.
/// </summary>
/// <param name="format">A custom date and time format, formatted with the invariant culture.</param>
internal sealed class EventTimeText(string format)
{
    private const int MaxLength = 32;

    private Formatted _last = new(long.MinValue, []);

    public ReadOnlySpan<byte> Of(DateTimeOffset time)
    {
        var second = time.ToUnixTimeSeconds();
        var last = Volatile.Read(ref _last);
        if (last.Second == second)
        {
            return last.Text;
        }

        var text = new byte[MaxLength];
        time.UtcDateTime.TryFormat(text, out var written, format, CultureInfo.InvariantCulture);
        var formatted = new Formatted(second, text[..written]);
        Volatile.Write(ref _last, formatted);
        return formatted.Text;
    }

    /// <summary>A second and its text, swapped as one object so a reader never sees one without the other.</summary>
    private sealed record Formatted(long Second, byte[] Text);
}
