using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace FcWorker.Handlers;

/// <summary>
/// Makes a checked handler's <see cref="HandlerInvoker"/> once, at start-up, from its body in <see cref="HandlerInvokers"/>:
/// an invocation is then a direct delegate call, with no reflection, and nothing compiled (System.Linq.Expressions
/// compiling one cost a launched worker ~12 ms of its start, loading it and Reflection.Emit).
/// </summary>
internal static class HandlerInvokerFactory
{
    [UnconditionalSuppressMessage("Trimming", "IL2060", Justification = "The bodies are public methods of HandlerInvokers, kept whole; their type arguments are the handler's own types.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Native AOT shares one body among reference types; a value-type event or output it did not compile fails here, at start-up, saying so.")]
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
        try
        {
            if (typeArguments.Length > 0)
            {
                body = body.MakeGenericMethod(typeArguments);
            }

            return body.CreateDelegate<HandlerInvoker>(AsType(shape.Handler, body.GetParameters()[0].ParameterType));
        }
        catch (NotSupportedException exception)
        {
            var types = string.Join(", ", typeArguments.Select(TypeNames.Display));
            throw new ArgumentException(
                $"This native AOT build has no code for a handler over {types}: {exception.Message} Use a class (or a record class) " +
                "for the event and the output, or Task<T> of one, instead of a value type.", exception);
        }
    }

    /// <summary>
    /// The handler itself when it already is a <paramref name="type"/> (a lambda's natural type), else a
    /// <paramref name="type"/> calling its Invoke, which any delegate type with the same signature converts to.
    /// </summary>
    private static Delegate AsType(Delegate handler, Type type) =>
        handler.GetType() == type ? handler : Delegate.CreateDelegate(type, handler, handler.GetType().GetMethod("Invoke")!);

    private static Type[] OrNone(Type? type) => type is null ? [] : [type];
}
