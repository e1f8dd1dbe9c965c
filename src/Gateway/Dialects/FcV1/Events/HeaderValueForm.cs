namespace FcGateway.Dialects.FcV1.Events;

/// <summary>How an event writes a request header's values (<see cref="EventHeaders"/>).</summary>
internal enum HeaderValueForm
{
    /// <summary>One string, repeated values joined with a comma (FC's event, the function URL event).</summary>
    Joined,

    /// <summary>The last value alone (API Gateway's <c>headers</c>, payload format 1.0).</summary>
    Last,

    /// <summary>An array of every value (API Gateway's <c>multiValueHeaders</c>).</summary>
    All,
}
