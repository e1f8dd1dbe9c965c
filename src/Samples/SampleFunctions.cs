using FcWorker.Samples.Functions;

namespace FcWorker.Samples;

/// <summary>The table of sample functions, for hosts that start them in-process.</summary>
public static class SampleFunctions
{
    /// <summary>Every sample, with its default port (9001–9007).</summary>
    public static IReadOnlyList<SampleFunction> All { get; } =
    [
        new("event-struct", 9001, EventStructFunction.Handle, "{\"key\":\"value\"} -> hello, value!"),
        new("event-string", 9002, EventStringFunction.Handle, "FC -> hello, FC!"),
        new("event-map", 9003, EventMapFunction.Handle, "{\"key\":\"value\",\"n\":1} -> hello, key=value, n=1!"),
        new("http-echo", 9004, HttpEchoFunction.Handle, "HTTP-trigger event -> its body, base64-decoded when needed"),
        new("raw-event", 9005, RawEventFunction.Handle, "any event -> HTTP 200 with the raw event as body"),
        new("always-fails", 9006, AlwaysFailsFunction.Handle, "any event -> InvalidOperationException error"),
        new("slow", 9007, SlowFunction.Handle, "{\"delayMs\":100} -> done after the delay (default 5000 ms)"),
    ];

    /// <summary>
    /// The options every sample runs with: the samples' event types from <see cref="SampleJsonContext"/>, which is what
    /// a function published native AOT needs.
    /// </summary>
    /// <returns>New options, for one worker.</returns>
    public static FunctionWorkerOptions Options() => new() { TypeInfoResolver = SampleJsonContext.Default };

    /// <summary>Finds a sample by name (case-insensitive).</summary>
    /// <param name="name">The sample's name.</param>
    /// <returns>The sample, or null when there is none of that name.</returns>
    public static SampleFunction? Find(string name)
    {
        foreach (var sample in All)
        {
            if (string.Equals(sample.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return sample;
            }
        }

        return null;
    }
}
