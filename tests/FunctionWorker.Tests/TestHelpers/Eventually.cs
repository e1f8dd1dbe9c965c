namespace FcWorker.Tests.TestHelpers;

/// <summary>Waits for a condition that other threads make true, bounded so that a test that never sees it fails.</summary>
internal static class Eventually
{
    public static async Task HoldsAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
