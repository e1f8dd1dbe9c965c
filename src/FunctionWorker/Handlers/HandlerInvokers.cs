using System.Diagnostics;

namespace FcWorker.Handlers;

/// <summary>
/// The body of a <see cref="HandlerInvoker"/> for every handler shape: the parameters it takes (none, the context, the event,
/// or both), then its <see cref="HandlerReturnKind"/>, which the name ends with. <see cref="HandlerInvokerFactory"/> binds one,
/// made generic over the event and output types, to the handler as the <see cref="Func{TResult}"/> or <see cref="Action"/> named
/// by its first parameter; an invocation then calls the handler directly, with the event cast (or unboxed) to its type.
/// Hidden from stack traces: a function's error body shows its own frames, then the pipeline's, not this one.
/// </summary>
[StackTraceHidden]
internal static class HandlerInvokers
{
    public static ValueTask<object?> NoArgsVoid(Action handler, IFunctionContext context, object? @event)
    {
        handler();
        return default;
    }

    public static ValueTask<object?> NoArgsValue<TOutput>(Func<TOutput> handler, IFunctionContext context, object? @event) =>
        ReturnAdapters.FromValue(handler());

    public static ValueTask<object?> NoArgsTask(Func<Task> handler, IFunctionContext context, object? @event) =>
        ReturnAdapters.FromTask(handler());

    public static ValueTask<object?> NoArgsTaskOfT<TOutput>(Func<Task<TOutput>> handler, IFunctionContext context, object? @event) =>
        ReturnAdapters.FromTaskOf(handler());

    public static ValueTask<object?> NoArgsValueTask(Func<ValueTask> handler, IFunctionContext context, object? @event) =>
        ReturnAdapters.FromValueTask(handler());

    public static ValueTask<object?> NoArgsValueTaskOfT<TOutput>(Func<ValueTask<TOutput>> handler, IFunctionContext context, object? @event) =>
        ReturnAdapters.FromValueTaskOf(handler());

    public static ValueTask<object?> ContextVoid(Action<IFunctionContext> handler, IFunctionContext context, object? @event)
    {
        handler(context);
        return default;
    }

    public static ValueTask<object?> ContextValue<TOutput>(Func<IFunctionContext, TOutput> handler, IFunctionContext context, object? @event) =>
        ReturnAdapters.FromValue(handler(context));

    public static ValueTask<object?> ContextTask(Func<IFunctionContext, Task> handler, IFunctionContext context, object? @event) =>
        ReturnAdapters.FromTask(handler(context));

    public static ValueTask<object?> ContextTaskOfT<TOutput>(
        Func<IFunctionContext, Task<TOutput>> handler, IFunctionContext context, object? @event) =>
        ReturnAdapters.FromTaskOf(handler(context));

    public static ValueTask<object?> ContextValueTask(Func<IFunctionContext, ValueTask> handler, IFunctionContext context, object? @event) =>
        ReturnAdapters.FromValueTask(handler(context));

    public static ValueTask<object?> ContextValueTaskOfT<TOutput>(
        Func<IFunctionContext, ValueTask<TOutput>> handler, IFunctionContext context, object? @event) =>
        ReturnAdapters.FromValueTaskOf(handler(context));

    public static ValueTask<object?> EventVoid<TEvent>(Action<TEvent> handler, IFunctionContext context, object? @event)
    {
        handler((TEvent)@event!);
        return default;
    }

    public static ValueTask<object?> EventValue<TEvent, TOutput>(Func<TEvent, TOutput> handler, IFunctionContext context, object? @event) =>
        ReturnAdapters.FromValue(handler((TEvent)@event!));

    public static ValueTask<object?> EventTask<TEvent>(Func<TEvent, Task> handler, IFunctionContext context, object? @event) =>
        ReturnAdapters.FromTask(handler((TEvent)@event!));

    public static ValueTask<object?> EventTaskOfT<TEvent, TOutput>(Func<TEvent, Task<TOutput>> handler, IFunctionContext context, object? @event) =>
        ReturnAdapters.FromTaskOf(handler((TEvent)@event!));

    public static ValueTask<object?> EventValueTask<TEvent>(Func<TEvent, ValueTask> handler, IFunctionContext context, object? @event) =>
        ReturnAdapters.FromValueTask(handler((TEvent)@event!));

    public static ValueTask<object?> EventValueTaskOfT<TEvent, TOutput>(
        Func<TEvent, ValueTask<TOutput>> handler, IFunctionContext context, object? @event) =>
        ReturnAdapters.FromValueTaskOf(handler((TEvent)@event!));

    public static ValueTask<object?> ContextEventVoid<TEvent>(Action<IFunctionContext, TEvent> handler, IFunctionContext context, object? @event)
    {
        handler(context, (TEvent)@event!);
        return default;
    }

    public static ValueTask<object?> ContextEventValue<TEvent, TOutput>(
        Func<IFunctionContext, TEvent, TOutput> handler, IFunctionContext context, object? @event) =>
        ReturnAdapters.FromValue(handler(context, (TEvent)@event!));

    public static ValueTask<object?> ContextEventTask<TEvent>(Func<IFunctionContext, TEvent, Task> handler, IFunctionContext context, object? @event) =>
        ReturnAdapters.FromTask(handler(context, (TEvent)@event!));

    public static ValueTask<object?> ContextEventTaskOfT<TEvent, TOutput>(
        Func<IFunctionContext, TEvent, Task<TOutput>> handler, IFunctionContext context, object? @event) =>
        ReturnAdapters.FromTaskOf(handler(context, (TEvent)@event!));

    public static ValueTask<object?> ContextEventValueTask<TEvent>(
        Func<IFunctionContext, TEvent, ValueTask> handler, IFunctionContext context, object? @event) =>
        ReturnAdapters.FromValueTask(handler(context, (TEvent)@event!));

    public static ValueTask<object?> ContextEventValueTaskOfT<TEvent, TOutput>(
        Func<IFunctionContext, TEvent, ValueTask<TOutput>> handler, IFunctionContext context, object? @event) =>
        ReturnAdapters.FromValueTaskOf(handler(context, (TEvent)@event!));
}
