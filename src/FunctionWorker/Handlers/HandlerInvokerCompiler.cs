using System.Linq.Expressions;
using System.Reflection;

namespace FcWorker.Handlers;

/// <summary>
/// Compiles a checked handler into a <see cref="HandlerInvoker"/> once, at start-up, so an
/// invocation is a direct delegate call: no reflection on the per-invocation path.
/// </summary>
internal static class HandlerInvokerCompiler
{
    public static HandlerInvoker Compile(HandlerShape shape)
    {
        var context = Expression.Parameter(typeof(IFunctionContext), "context");
        var @event = Expression.Parameter(typeof(object), "event");
        var arguments = new List<Expression>(2);
        if (shape.TakesContext)
        {
            arguments.Add(context);
        }

        if (shape.EventType is { } eventType)
        {
            arguments.Add(Expression.Convert(@event, eventType));
        }

        var call = Expression.Invoke(Expression.Constant(shape.Handler), arguments);
        Expression body = shape.ReturnKind switch
        {
            HandlerReturnKind.Void => Expression.Block(call, Expression.Default(typeof(ValueTask<object?>))),
            HandlerReturnKind.Value => Expression.Call(Adapter(nameof(ReturnAdapters.FromValue)), Expression.Convert(call, typeof(object))),
            HandlerReturnKind.Task => Expression.Call(Adapter(nameof(ReturnAdapters.FromTask)), call),
            HandlerReturnKind.ValueTask => Expression.Call(Adapter(nameof(ReturnAdapters.FromValueTask)), call),
            HandlerReturnKind.TaskOfT => Expression.Call(Adapter(nameof(ReturnAdapters.FromTaskOf), shape.OutputType!), call),
            HandlerReturnKind.ValueTaskOfT => Expression.Call(Adapter(nameof(ReturnAdapters.FromValueTaskOf), shape.OutputType!), call),
            _ => throw new ArgumentOutOfRangeException(nameof(shape), shape.ReturnKind, "Unknown return kind."),
        };

        return Expression.Lambda<HandlerInvoker>(body, context, @event).Compile();
    }

    private static MethodInfo Adapter(string name, Type? resultType = null)
    {
        var method = typeof(ReturnAdapters).GetMethod(name, BindingFlags.Public | BindingFlags.Static)!;
        return resultType is null ? method : method.MakeGenericMethod(resultType);
    }
}
