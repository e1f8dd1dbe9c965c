namespace FcWorker.Samples.Functions;

/// <summary><c>always-fails</c>: throws, so every invocation fails with FC's error body (<c>InvalidOperationException</c>).</summary>
public static class AlwaysFailsFunction
{
    /// <summary>The error's message.</summary>
    public const string Message = "something went wrong!";

    /// <summary>Fails.</summary>
    /// <returns>Never returns.</returns>
    /// <exception cref="InvalidOperationException">Always.</exception>
    public static string Handle() => throw new InvalidOperationException(Message);
}
