namespace Gateway.Tests.Infrastructure;

/// <summary>Waits for something the gateway does in the background (a reload, a log line), failing after 20 seconds.</summary>
public static class Eventually
{
    public static Task HoldsAsync(Func<Task<bool>> condition) => HoldsAsync(condition, TimeSpan.FromSeconds(20));

    /// <summary>As <see cref="HoldsAsync(Func{bool})"/>, failing after <paramref name="within"/> (e.g. for processes that must start first).</summary>
    public static Task HoldsAsync(Func<bool> condition, TimeSpan within) => HoldsAsync(() => Task.FromResult(condition()), within);

    private static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        while (!await condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    public static Task HoldsAsync(Func<bool> condition) => HoldsAsync(() => Task.FromResult(condition()));
}
