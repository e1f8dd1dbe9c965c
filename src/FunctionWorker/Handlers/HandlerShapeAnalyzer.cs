using System.Reflection;
using System.Runtime.CompilerServices;

namespace FcWorker.Handlers;

/// <summary>
/// Checks a handler against FC's handler rules, once, at start-up: up to two parameters, the
/// context first when there are two, one event at most, and a supported return type.
/// </summary>
internal static class HandlerShapeAnalyzer
{
    public static HandlerShape Analyze(Delegate handler)
    {
        if (handler.GetInvocationList().Length > 1)
        {
            throw Reject(HandlerRules.SingleMethod);
        }

        // The delegate's Invoke signature is what gets called; Delegate.Method may carry a bound first argument.
        var invoke = handler.GetType().GetMethod("Invoke")!;
        var parameters = invoke.GetParameters();
        if (parameters.Length > 2)
        {
            throw Reject(HandlerRules.AtMostTwoParameters);
        }

        foreach (var parameter in parameters)
        {
            CheckParameter(parameter);
        }

        var (takesContext, eventType) = parameters switch
        {
            [] => (false, null),
            [var only] => IsContext(only) ? (true, null) : (false, only.ParameterType),
            [var first, var second] => CheckPair(first, second),
            _ => throw Reject(HandlerRules.AtMostTwoParameters),
        };

        var (kind, outputType) = HandlerReturnAnalyzer.Analyze(invoke.ReturnType);
        if (kind == HandlerReturnKind.Void && handler.Method.IsDefined(typeof(AsyncStateMachineAttribute), inherit: false))
        {
            throw Reject(HandlerRules.NoAsyncVoid);
        }

        return new HandlerShape(handler, takesContext, eventType, kind, outputType);
    }

    public static ArgumentException Reject(string rule) => new(rule);

    private static bool IsContext(ParameterInfo parameter) => parameter.ParameterType == typeof(IFunctionContext);

    private static (bool, Type?) CheckPair(ParameterInfo first, ParameterInfo second) => (IsContext(first), IsContext(second)) switch
    {
        (true, true) => throw Reject(HandlerRules.OneContext),
        (false, true) => throw Reject(HandlerRules.ContextFirst),
        (false, false) => throw Reject(HandlerRules.OneEvent),
        (true, false) => (true, second.ParameterType),
    };

    private static void CheckParameter(ParameterInfo parameter)
    {
        var type = parameter.ParameterType;
        var where = $" (parameter {parameter.Position + 1} is {TypeNames.Display(type)}).";
        if (type.IsByRef)
        {
            throw Reject(HandlerRules.NoByRefParameters + where);
        }

        if (type.IsByRefLike || type.IsPointer || type.IsFunctionPointer)
        {
            throw Reject(HandlerRules.NoRefStructParameters + where);
        }

        if (type == typeof(CancellationToken))
        {
            throw Reject(HandlerRules.NoCancellationTokenParameter + where);
        }
    }
}
