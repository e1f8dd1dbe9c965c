namespace FcWorker.Handlers;

/// <summary>Turns each supported return type into the invoker's <c>ValueTask&lt;object?&gt;</c>.</summary>
internal static class ReturnAdapters
{
    public static async ValueTask<object?> FromTask(Task task)
    {
        await task.ConfigureAwait(false);
        return null;
    }

    public static async ValueTask<object?> FromTaskOf<T>(Task<T> task) => await task.ConfigureAwait(false);

    public static async ValueTask<object?> FromValueTask(ValueTask task)
    {
        await task.ConfigureAwait(false);
        return null;
    }

    public static async ValueTask<object?> FromValueTaskOf<T>(ValueTask<T> task) => await task.ConfigureAwait(false);

    public static ValueTask<object?> FromValue(object? value) => new(value);
}
