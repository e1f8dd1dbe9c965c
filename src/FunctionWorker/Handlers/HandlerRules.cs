namespace FcWorker.Handlers;

/// <summary>The handler rules, worded as the start-up error messages that enforce them.</summary>
internal static class HandlerRules
{
    public const string SingleMethod =
        "A handler is a single method: a combined (multicast) delegate has no single output.";

    public const string AtMostTwoParameters =
        "A handler takes at most two parameters: the invocation context and the event.";

    public const string NoByRefParameters =
        "A handler's parameters cannot be ref, out or in parameters";

    public const string NoRefStructParameters =
        "A handler's parameters cannot be ref structs or pointers such as Span<byte>; take ReadOnlyMemory<byte> or byte[] instead";

    public const string NoCancellationTokenParameter =
        "A handler does not take a CancellationToken; take the invocation context (IFunctionContext) and use its CancellationToken";

    public const string OneContext =
        "A handler takes one invocation context (IFunctionContext) at most, as its first parameter.";

    public const string ContextFirst =
        "The invocation context (IFunctionContext) must be the first parameter of the handler, the event the second.";

    public const string OneEvent =
        "A handler takes one event at most: with two parameters, the first must be the invocation context (IFunctionContext).";

    public const string NoByRefReturn =
        "A handler cannot return by reference, a ref struct or a pointer";

    public const string NoAsyncVoid =
        "A handler cannot be async void: its exceptions would crash the worker and its end could not be awaited; return Task instead.";

    public const string NoNestedTask =
        "A handler must not return a task of a task; await the inner task and return its result";

    public const string KnownTaskType =
        "A handler returns nothing, a value, Task, Task<T>, ValueTask or ValueTask<T>; other task types are not awaited";
}
