using System.Collections.Concurrent;
using System.Globalization;

namespace FcGateway.Dispatch.Push;

/// <summary>
/// The decimal text of the numbers the worker headers carry (memory size, timeouts). They come from the
/// configuration, so there are few distinct values: each is formatted once instead of on every invocation.
/// </summary>
internal static class HeaderNumbers
{
    private static readonly ConcurrentDictionary<long, string> Formatted = new();

    public static string Format(long value) =>
        Formatted.GetOrAdd(value, static number => number.ToString(CultureInfo.InvariantCulture));
}
