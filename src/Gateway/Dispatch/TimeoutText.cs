namespace FcGateway.Dispatch;

/// <summary>
/// FC's words for a function that ran out of time, "Function time out after 60 seconds", in the whole seconds its
/// worker was told (<c>x-fc-function-timeout</c>).
/// </summary>
internal static class TimeoutText
{
    public static string For(TimeSpan timeout)
    {
        var seconds = FcInvocationHeaders.WholeSeconds(timeout);
        return seconds == "1" ? "Function time out after 1 second" : $"Function time out after {seconds} seconds";
    }
}
