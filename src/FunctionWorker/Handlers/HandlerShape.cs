namespace FcWorker.Handlers;

/// <summary>
/// A handler that passed the rules: whether it takes the context (always first), its event type,
/// and how it returns its output (<see cref="OutputType"/> is null when there is none).
/// </summary>
internal sealed record HandlerShape(
    Delegate Handler, bool TakesContext, Type? EventType, HandlerReturnKind ReturnKind, Type? OutputType);
