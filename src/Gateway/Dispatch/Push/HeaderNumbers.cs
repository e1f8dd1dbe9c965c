using System.Collections.Concurrent;
using System.Globalization;

namespace FcGateway.Dispatch.Push;

/// <summary>
/// The decimal text of the numbers the worker headers carry (memory size, timeouts). They come from the
/// configuration, so there are few distinct values: each is formatted once instead of on every invocation. Each value
/// is kept for the gateway's life, so a number that changes with every invocation (a deadline) must not come here.
/// </summary>
internal static class HeaderNumbers
{
    private static readonly ConcurrentDictionary<long, string> Formatted = new();

    /// <summary>How many values are kept (for tests).</summary>
    internal static int Count => Formatted.Count;

    public static string Format(long value) =>
        Formatted.GetOrAdd(value, static number => number.ToString(CultureInfo.InvariantCulture));
}
