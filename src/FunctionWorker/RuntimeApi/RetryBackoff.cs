namespace FcWorker.RuntimeApi;

/// <summary>One poll loop's wait before it polls again after a failed poll: 100 ms, doubling up to 2 s; a successful poll starts over.</summary>
internal sealed class RetryBackoff
{
    public static readonly TimeSpan First = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan Longest = TimeSpan.FromSeconds(2);

    private TimeSpan _next = First;

    public TimeSpan Next()
    {
        var delay = _next;
        _next = delay * 2 < Longest ? delay * 2 : Longest;
        return delay;
    }

    public void Reset() => _next = First;
}
