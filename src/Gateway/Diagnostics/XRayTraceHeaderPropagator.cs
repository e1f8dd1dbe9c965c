using System.Buffers;
using System.Diagnostics;

namespace FcGateway.Diagnostics;

/// <summary>
/// Continues a client's AWS X-Ray trace (<c>X-Amzn-Trace-Id: Root=1-5759e988-bd862e3fe1be46a994272793;Parent=
/// 53995c3f42cd8ad8;Sampled=1</c>) when the request has no W3C <c>traceparent</c>, as a function URL does: the request's
/// activity takes the X-Ray root as its trace id (the same 32 digits without the version and dash), so a Lambda
/// function's <c>Lambda-Runtime-Trace-Id</c> keeps the caller's root. A request without <c>Parent</c> gets a parent
/// span id of its own, as X-Ray starts a segment under a bare root. Only <c>Sampled=0</c> makes it sampled out: a missing
/// or deferred (<c>Sampled=?</c>) decision counts as sampled, so under a parent-based sampler such a request is always
/// recorded (W3C trace flags cannot carry "undecided"). Anything malformed is ignored.
/// </summary>
internal sealed class XRayTraceHeaderPropagator(DistributedContextPropagator inner) : DistributedContextPropagator
{
    public const string HeaderName = "X-Amzn-Trace-Id";

    private static readonly SearchValues<char> LowerHexDigits = SearchValues.Create("0123456789abcdef");

    public override IReadOnlyCollection<string> Fields => inner.Fields;

    public override void Inject(Activity? activity, object? carrier, PropagatorSetterCallback? setter) => inner.Inject(activity, carrier, setter);

    public override IEnumerable<KeyValuePair<string, string?>>? ExtractBaggage(object? carrier, PropagatorGetterCallback? getter) =>
        inner.ExtractBaggage(carrier, getter);

    public override void ExtractTraceIdAndState(object? carrier, PropagatorGetterCallback? getter, out string? traceId, out string? traceState)
    {
        inner.ExtractTraceIdAndState(carrier, getter, out traceId, out traceState);
        if (traceId is null && getter is not null)
        {
            getter(carrier, HeaderName, out var header, out _);
            traceId = TraceParentOf(header);
        }
    }

    /// <summary>The W3C <c>traceparent</c> an X-Ray trace header stands for; null when it is not one.</summary>
    internal static string? TraceParentOf(string? header)
    {
        if (string.IsNullOrEmpty(header) || header.Length > 256)
        {
            return null;
        }

        ReadOnlySpan<char> root = default, parent = default;
        var sampled = true;
        foreach (var range in header.AsSpan().Split(';'))
        {
            var field = header.AsSpan()[range].Trim();
            if (field.StartsWith("Root=", StringComparison.Ordinal))
            {
                root = field[5..];
            }
            else if (field.StartsWith("Parent=", StringComparison.Ordinal))
            {
                parent = field[7..];
            }
            else if (field.SequenceEqual("Sampled=0"))
            {
                sampled = false;
            }
        }

        // Root=1-{8 hex digits}-{24 hex digits}; Parent={16 hex digits}.
        if (root.Length != 35 || !root.StartsWith("1-") || root[10] != '-'
            || !IsLowerHex(root[2..10]) || !IsLowerHex(root[11..]) || (!parent.IsEmpty && (parent.Length != 16 || !IsLowerHex(parent))))
        {
            return null;
        }

        var traceId = string.Concat(root[2..10], root[11..]);
        var parentId = parent.IsEmpty ? ActivitySpanId.CreateRandom().ToHexString() : parent.ToString();
        return traceId.AsSpan().ContainsAnyExcept('0') && parentId.AsSpan().ContainsAnyExcept('0')
            ? $"00-{traceId}-{parentId}-{(sampled ? "01" : "00")}"
            : null;
    }

    private static bool IsLowerHex(ReadOnlySpan<char> digits) => !digits.ContainsAnyExcept(LowerHexDigits);
}
