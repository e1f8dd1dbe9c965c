namespace FcGateway.Dispatch.Pull;

/// <summary>
/// Compares the keys of launched instances' addresses (function, instance id) ordinally, as a tuple of strings is
/// compared, and lets them be looked up by the two spans of a request's path (<see cref="Spans"/>) without making strings.
/// </summary>
internal sealed class InstanceKeyComparer :
    IEqualityComparer<(string Function, string Instance)>, IAlternateEqualityComparer<InstanceKeyComparer.Spans, (string Function, string Instance)>
{
    public static readonly InstanceKeyComparer Instance = new();

    private InstanceKeyComparer()
    {
    }

    public bool Equals((string Function, string Instance) x, (string Function, string Instance) y) =>
        string.Equals(x.Function, y.Function, StringComparison.Ordinal) && string.Equals(x.Instance, y.Instance, StringComparison.Ordinal);

    public int GetHashCode((string Function, string Instance) key) => HashOf(key.Function, key.Instance);

    public bool Equals(Spans alternate, (string Function, string Instance) other) =>
        alternate.Function.SequenceEqual(other.Function) && alternate.Instance.SequenceEqual(other.Instance);

    public int GetHashCode(Spans alternate) => HashOf(alternate.Function, alternate.Instance);

    public (string Function, string Instance) Create(Spans alternate) => (alternate.Function.ToString(), alternate.Instance.ToString());

    private static int HashOf(ReadOnlySpan<char> function, ReadOnlySpan<char> instance) =>
        HashCode.Combine(string.GetHashCode(function), string.GetHashCode(instance));

    /// <summary>A launched instance's key as it stands in a request's path.</summary>
    public readonly ref struct Spans(ReadOnlySpan<char> function, ReadOnlySpan<char> instance)
    {
        public ReadOnlySpan<char> Function { get; } = function;

        public ReadOnlySpan<char> Instance { get; } = instance;
    }
}
