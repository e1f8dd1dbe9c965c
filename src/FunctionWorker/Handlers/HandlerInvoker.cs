namespace FcWorker.Handlers;

/// <summary>Calls a handler with its context and bound event, and yields its output (null when it has none).</summary>
internal delegate ValueTask<object?> HandlerInvoker(IFunctionContext context, object? @event);
