using System.Text.Json;

namespace FcGateway.Dialects.FcV1.Events;

/// <summary>How one dialect's event writes the request headers (<see cref="EventHeaders"/>).</summary>
internal sealed class EventHeaderStyle
{
    /// <summary>Writes the event's form of a header name into a destination exactly as long.</summary>
    public delegate void NameForm(ReadOnlySpan<char> name, Span<char> destination);

    /// <summary>The form of every header name.</summary>
    public required NameForm WriteName { get; init; }

    /// <summary>A header this event leaves out, or carries in a field of its own, besides those no event carries.</summary>
    public required string OmittedHeader { get; init; }

    /// <summary>The name <c>X-Forwarded-For</c> is written under, in this event's name form.</summary>
    public required JsonEncodedText ForwardedForName { get; init; }
}
