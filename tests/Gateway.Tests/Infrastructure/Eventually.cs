namespace Gateway.Tests.Infrastructure;

/// <summary>Waits for something the gateway does in the background (a reload, a log line), failing after 20 seconds.</summary>
public static class Eventually
{
    public static async Task HoldsAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    public static Task HoldsAsync(Func<bool> condition) => HoldsAsync(() => Task.FromResult(condition()));
}
