using System.Linq.Expressions;
using FcWorker.Handlers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FcWorker.Tests.Handlers;

/// <summary>Every shape the analyzer accepts, and delegates made in unusual ways, called through their invoker.</summary>
public sealed class HandlerInvokerFactoryTests
{
    private static readonly IFunctionContext Context = new FakeContext();

    private delegate string CustomHandler(IFunctionContext context, string @event);

    private delegate void CustomVoidHandler(int @event);

    public static TheoryData<string> Shapes => [.. Cases(new List<string>()).Keys];

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task Create_Shape_CallsHandlerWithContextAndEventAndYieldsItsOutput(string shape)
    {
        var ran = new List<string>();
        var (handler, @event, output, expectedRan) = Cases(ran)[shape];
        var invoker = HandlerInvokerFactory.Create(HandlerShapeAnalyzer.Analyze(handler));

        var result = await invoker(Context, @event);

        Assert.Equal(output, result);
        Assert.Equal(expectedRan is null ? [] : new[] { expectedRan }, ran);
    }

    [Fact]
    public void Create_HandlerOfTheFuncType_IsCalledWithoutWrapping()
    {
        var handler = (IFunctionContext context, string @event) => @event;

        var invoker = HandlerInvokerFactory.Create(HandlerShapeAnalyzer.Analyze(handler));

        Assert.Same(handler, invoker.Target);
    }

    private static Dictionary<string, (Delegate Handler, object? Event, object? Output, string? Ran)> Cases(List<string> ran)
    {
        var handlers = new Handlers("instance-");
        var contextParameter = Expression.Parameter(typeof(IFunctionContext), "context");
        var eventParameter = Expression.Parameter(typeof(string), "event");
        return new()
        {
            ["() -> void"] = (() => ran.Add("ran"), "evt", null, "ran"),
            ["() -> value"] = (() => "out", "evt", "out", null),
            ["() -> Task"] = (async () => { await Task.Yield(); ran.Add("ran"); }, "evt", null, "ran"),
            ["() -> Task<T>"] = (() => Task.FromResult("out"), "evt", "out", null),
            ["() -> ValueTask"] = (() => { ran.Add("ran"); return ValueTask.CompletedTask; }, "evt", null, "ran"),
            ["() -> ValueTask<T>"] = (() => ValueTask.FromResult("out"), "evt", "out", null),
            ["(context) -> void"] = ((IFunctionContext c) => ran.Add(c.RequestId), "evt", null, "req-1"),
            ["(context) -> value"] = ((IFunctionContext c) => c.RequestId, "evt", "req-1", null),
            ["(context) -> Task"] = (async (IFunctionContext c) => { await Task.Yield(); ran.Add(c.RequestId); }, "evt", null, "req-1"),
            ["(context) -> Task<T>"] = ((IFunctionContext c) => Task.FromResult(c.RequestId), "evt", "req-1", null),
            ["(context) -> ValueTask"] = ((IFunctionContext c) => { ran.Add(c.RequestId); return ValueTask.CompletedTask; }, "evt", null, "req-1"),
            ["(context) -> ValueTask<T>"] = ((IFunctionContext c) => ValueTask.FromResult(c.RequestId), "evt", "req-1", null),
            ["(event) -> void"] = ((string e) => ran.Add(e), "evt", null, "evt"),
            ["(event) -> value"] = ((string e) => e, "evt", "evt", null),
            ["(event) -> Task"] = (async (string e) => { await Task.Yield(); ran.Add(e); }, "evt", null, "evt"),
            ["(event) -> Task<T>"] = (async (string e) => { await Task.Yield(); return e; }, "evt", "evt", null),
            ["(event) -> ValueTask"] = ((string e) => { ran.Add(e); return ValueTask.CompletedTask; }, "evt", null, "evt"),
            ["(event) -> ValueTask<T>"] = ((string e) => ValueTask.FromResult(e), "evt", "evt", null),
            ["(context, event) -> void"] = ((IFunctionContext c, string e) => ran.Add(c.RequestId + e), "evt", null, "req-1evt"),
            ["(context, event) -> value"] = ((IFunctionContext c, string e) => c.RequestId + e, "evt", "req-1evt", null),
            ["(context, event) -> Task"] = (async (IFunctionContext c, string e) => { await Task.Yield(); ran.Add(c.RequestId + e); }, "evt", null, "req-1evt"),
            ["(context, event) -> Task<T>"] = ((IFunctionContext c, string e) => Task.FromResult(c.RequestId + e), "evt", "req-1evt", null),
            ["(context, event) -> ValueTask"] = ((IFunctionContext c, string e) => { ran.Add(c.RequestId + e); return ValueTask.CompletedTask; }, "evt", null, "req-1evt"),
            ["(context, event) -> ValueTask<T>"] = ((IFunctionContext c, string e) => ValueTask.FromResult(c.RequestId + e), "evt", "req-1evt", null),
            ["value-type event and output"] = ((int e) => e + 1, 41, 42, null),
            ["value-type output of a task"] = ((IFunctionContext c, int e) => ValueTask.FromResult(e + 1), 41, 42, null),
            ["nullable event, null"] = ((int? e) => e ?? -1, null, -1, null),
            ["custom delegate type"] = (new CustomHandler((c, e) => c.RequestId + e), "evt", "req-1evt", null),
            ["custom delegate type, void, value-type event"] = (new CustomVoidHandler(e => ran.Add($"{e}")), 7, null, "7"),
            ["anonymous delegate type"] = ((string e = "default") => e, "evt", "evt", null),
            ["static method"] = (Echo, "evt", "evt", null),
            ["instance method"] = (handlers.Prefix, "evt", "instance-evt", null),
            ["static method closed over its first argument"] = (
                Delegate.CreateDelegate(typeof(Func<string, string>), "closed-", typeof(string).GetMethod(nameof(string.Concat), [typeof(string), typeof(string)])!),
                "evt", "closed-evt", null),
            ["open instance method"] = (
                Delegate.CreateDelegate(typeof(Func<string, string>), null, typeof(string).GetMethod(nameof(string.ToUpperInvariant), Type.EmptyTypes)!),
                "evt", "EVT", null),
            ["compiled expression of a custom delegate type"] = (
                Expression.Lambda<CustomHandler>(eventParameter, contextParameter, eventParameter).Compile(), "evt", "evt", null),
        };
    }

    private static string Echo(string @event) => @event;

    private sealed class Handlers(string prefix)
    {
        public string Prefix(string @event) => prefix + @event;
    }

    private sealed class FakeContext : IFunctionContext
    {
        public string RequestId => "req-1";

        public string FunctionName => "";

        public int MemoryLimitInMB => 512;

        public TimeSpan Timeout => TimeSpan.FromSeconds(60);

        public string Handler => "";

        public string Region => "";

        public string AccountId => "";

        public string Qualifier => "";

        public string VersionId => "";

        public int RetryCount => 0;

        public FunctionCredentials Credentials => throw new NotSupportedException();

        public DateTimeOffset Deadline => DateTimeOffset.MaxValue;

        public CancellationToken CancellationToken => CancellationToken.None;

        public ILogger Logger => NullLogger.Instance;
    }
}
