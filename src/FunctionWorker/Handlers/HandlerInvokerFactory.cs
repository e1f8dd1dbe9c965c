using System.Reflection;

namespace FcWorker.Handlers;

/// <summary>
/// Makes a checked handler's <see cref="HandlerInvoker"/> once, at start-up, from its body in <see cref="HandlerInvokers"/>:
/// an invocation is then a direct delegate call, with no reflection, and nothing compiled (System.Linq.Expressions
/// compiling one cost a launched worker ~12 ms of its start, loading it and Reflection.Emit).
/// </summary>
internal static class HandlerInvokerFactory
{
    public static HandlerInvoker Create(HandlerShape shape)
    {
        var parameters = (shape.TakesContext, shape.EventType is not null) switch
        {
            (false, false) => "NoArgs",
            (true, false) => "Context",
            (false, true) => "Event",
            (true, true) => "ContextEvent",
        };
        var name = parameters + shape.ReturnKind;
        var body = typeof(HandlerInvokers).GetMethod(name, BindingFlags.Public | BindingFlags.Static)
            ?? throw new InvalidOperationException($"{nameof(HandlerInvokers)} has no body {name} for this handler shape.");
        Type[] typeArguments = [.. OrNone(shape.EventType), .. OrNone(shape.OutputType)];
        if (typeArguments.Length > 0)
        {
            body = body.MakeGenericMethod(typeArguments);
        }

        return body.CreateDelegate<HandlerInvoker>(AsType(shape.Handler, body.GetParameters()[0].ParameterType));
    }

    /// <summary>
    /// The handler itself when it already is a <paramref name="type"/> (a lambda's natural type), else a
    /// <paramref name="type"/> calling its Invoke, which any delegate type with the same signature converts to.
    /// </summary>
    private static Delegate AsType(Delegate handler, Type type) =>
        handler.GetType() == type ? handler : Delegate.CreateDelegate(type, handler, handler.GetType().GetMethod("Invoke")!);

    private static Type[] OrNone(Type? type) => type is null ? [] : [type];
}
