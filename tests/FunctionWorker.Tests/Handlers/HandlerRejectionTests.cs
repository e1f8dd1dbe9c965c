namespace FcWorker.Tests.Handlers;

public sealed class HandlerRejectionTests
{
    private static int _value;

    private delegate string RefHandler(ref string @event);

    private delegate void OutHandler(out string @event);

    private delegate string InHandler(in string @event);

    private delegate string SpanHandler(ReadOnlySpan<byte> @event);

    private delegate ref int RefReturnHandler();

    private delegate ReadOnlySpan<byte> SpanReturnHandler();

    public static TheoryData<string> RejectedShapes => [.. Shapes.Keys];

    private static Dictionary<string, (Delegate Handler, string Rule)> Shapes { get; } = new()
    {
        ["three parameters"] = ((IFunctionContext context, string a, string b) => "", "at most two parameters"),
        ["context not first"] = ((string @event, IFunctionContext context) => "", "must be the first parameter"),
        ["two events"] = ((string a, string b) => "", "one event at most"),
        ["two contexts"] = ((IFunctionContext a, IFunctionContext b) => "", "one invocation context (IFunctionContext) at most"),
        ["ref parameter"] = (new RefHandler((ref string e) => e), "cannot be ref, out or in"),
        ["out parameter"] = (new OutHandler((out string e) => e = ""), "cannot be ref, out or in"),
        ["in parameter"] = (new InHandler((in string e) => e), "cannot be ref, out or in"),
        ["ref struct parameter"] = (new SpanHandler(e => ""), "cannot be ref structs"),
        ["cancellation token parameter"] = ((CancellationToken token) => "", "does not take a CancellationToken"),
        ["Task<Task>"] = (() => Task.FromResult(Task.CompletedTask), "task of a task"),
        ["Task<ValueTask>"] = (() => Task.FromResult(ValueTask.CompletedTask), "task of a task"),
        ["ValueTask<Task<int>>"] = (() => ValueTask.FromResult(Task.FromResult(1)), "task of a task"),
        ["Task subclass"] = (() => new TaskSubclass(), "other task types"),
        ["ref return"] = (new RefReturnHandler(RefValue), "cannot return by reference"),
        ["ref struct return"] = (new SpanReturnHandler(() => default), "cannot return by reference"),
        ["async void"] = (new Action(async () => await Task.Yield()), "cannot be async void"),
        ["multicast"] = (Delegate.Combine(() => "a", () => "b")!, "single method"),
    };

    [Theory]
    [MemberData(nameof(RejectedShapes))]
    public void Create_BrokenRule_ThrowsArgumentExceptionNamingTheRule(string shape)
    {
        var (handler, rule) = Shapes[shape];

        var exception = Assert.ThrowsAny<ArgumentException>(() => FunctionWorker.Create(["--urls", "http://127.0.0.1:0"], handler));

        Assert.Contains(rule, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_NullHandler_ThrowsArgumentNullException() =>
        Assert.Throws<ArgumentNullException>(() => FunctionWorker.Create([], null!));

    private static ref int RefValue() => ref _value;

    private sealed class TaskSubclass() : Task<int>(() => 1);
}
