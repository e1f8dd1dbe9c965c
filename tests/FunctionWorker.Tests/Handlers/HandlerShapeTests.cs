using FcWorker.Tests.TestHelpers;

namespace FcWorker.Tests.Handlers;

public sealed class HandlerShapeTests
{
    private delegate string CustomHandler(IFunctionContext context, string @event);

    public static TheoryData<string> ValidShapes => [.. Shapes.Keys];

    private static Dictionary<string, (Delegate Handler, string Expected)> Shapes { get; } = new()
    {
        ["() -> void"] = (() => { }, ""),
        ["() -> value"] = (() => "out", "out"),
        ["() -> Task"] = (() => Task.CompletedTask, ""),
        ["() -> Task<T>"] = (() => Task.FromResult("out"), "out"),
        ["() -> ValueTask"] = (() => ValueTask.CompletedTask, ""),
        ["() -> ValueTask<T>"] = (() => ValueTask.FromResult("out"), "out"),
        ["(context) -> void"] = ((IFunctionContext context) => { }, ""),
        ["(context) -> value"] = ((IFunctionContext context) => context.RequestId, "req-1"),
        ["(context) -> Task<T>"] = (async (IFunctionContext context) => { await Task.Yield(); return context.RequestId; }, "req-1"),
        ["(event) -> void"] = ((string @event) => { }, ""),
        ["(event) -> value"] = ((string @event) => @event, "evt"),
        ["(event) -> Task"] = (async (string @event) => await Task.Yield(), ""),
        ["(event) -> ValueTask"] = ((string @event) => ValueTask.CompletedTask, ""),
        ["(event) -> ValueTask<T>"] = ((string @event) => ValueTask.FromResult(@event), "evt"),
        ["(context, event) -> void"] = ((IFunctionContext context, string @event) => { }, ""),
        ["(context, event) -> value"] = ((IFunctionContext context, string @event) => context.RequestId + @event, "req-1evt"),
        ["(context, event) -> Task"] = (async (IFunctionContext context, string @event) => await Task.Yield(), ""),
        ["(context, event) -> Task<T>"] = (async (IFunctionContext context, string @event) => { await Task.Yield(); return @event; }, "evt"),
        ["(context, event) -> ValueTask"] = ((IFunctionContext context, string @event) => ValueTask.CompletedTask, ""),
        ["(context, event) -> ValueTask<T>"] = ((IFunctionContext context, string @event) => ValueTask.FromResult(@event), "evt"),
        ["static method group"] = (Echo, "evt"),
        ["custom delegate type"] = (new CustomHandler((context, @event) => @event + "!"), "evt!"),
        ["value-type output"] = ((string @event) => @event.Length, "3"),
    };

    [Theory]
    [MemberData(nameof(ValidShapes))]
    public async Task Create_ValidShape_InvokesHandlerAndWritesOutput(string shape)
    {
        var (handler, expected) = Shapes[shape];
        await using var worker = await TestWorker.StartAsync(handler);

        using var response = await worker.InvokeAsync("evt", ("x-fc-request-id", "req-1"));

        Assert.Equal(expected, await FcReply.AssertSuccessAsync(response));
    }

    private static string Echo(string @event) => @event;
}
