namespace FcWorker.Handlers;

/// <summary>Classifies a handler's return type, rejecting those the invoker could not await or write.</summary>
internal static class HandlerReturnAnalyzer
{
    public static (HandlerReturnKind Kind, Type? OutputType) Analyze(Type returnType)
    {
        var where = $" ({TypeNames.Display(returnType)}).";
        if (returnType.IsByRef || returnType.IsByRefLike || returnType.IsPointer || returnType.IsFunctionPointer)
        {
            throw HandlerShapeAnalyzer.Reject(HandlerRules.NoByRefReturn + where);
        }

        if (returnType == typeof(void))
        {
            return (HandlerReturnKind.Void, null);
        }

        if (returnType == typeof(Task))
        {
            return (HandlerReturnKind.Task, null);
        }

        if (returnType == typeof(ValueTask))
        {
            return (HandlerReturnKind.ValueTask, null);
        }

        if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() is var definition
            && (definition == typeof(Task<>) || definition == typeof(ValueTask<>)))
        {
            var result = returnType.GetGenericArguments()[0];
            if (IsTaskLike(result))
            {
                throw HandlerShapeAnalyzer.Reject(HandlerRules.NoNestedTask + where);
            }

            return (definition == typeof(Task<>) ? HandlerReturnKind.TaskOfT : HandlerReturnKind.ValueTaskOfT, result);
        }

        if (IsTaskLike(returnType))
        {
            throw HandlerShapeAnalyzer.Reject(HandlerRules.KnownTaskType + where);
        }

        return (HandlerReturnKind.Value, returnType);
    }

    private static bool IsTaskLike(Type type) =>
        typeof(Task).IsAssignableFrom(type)
        || type == typeof(ValueTask)
        || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueTask<>));
}
