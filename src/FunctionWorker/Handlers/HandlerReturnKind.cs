namespace FcWorker.Handlers;

/// <summary>How a handler hands back its output.</summary>
internal enum HandlerReturnKind
{
    Void,
    Value,
    Task,
    TaskOfT,
    ValueTask,
    ValueTaskOfT,
}
