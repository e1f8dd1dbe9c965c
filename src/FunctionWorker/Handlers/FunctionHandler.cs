using System.Text.Json;
using FcWorker.Binding;
using FcWorker.Responses;

namespace FcWorker.Handlers;

/// <summary>Everything an invocation needs from the user's handler, prepared once at start-up.</summary>
internal sealed class FunctionHandler(HandlerInvoker invoker, EventBinder binder, OutputEncoder encoder)
{
    public HandlerInvoker Invoker { get; } = invoker;

    public EventBinder Binder { get; } = binder;

    public OutputEncoder Encoder { get; } = encoder;

    /// <exception cref="ArgumentException">The handler breaks a handler rule, or its types have no JSON contract.</exception>
    public static FunctionHandler Create(Delegate handler, JsonSerializerOptions serializerOptions)
    {
        var shape = HandlerShapeAnalyzer.Analyze(handler);
        return new FunctionHandler(
            HandlerInvokerFactory.Create(shape),
            EventBinder.Create(shape.EventType, serializerOptions),
            OutputEncoder.Create(shape.OutputType, serializerOptions));
    }
}
