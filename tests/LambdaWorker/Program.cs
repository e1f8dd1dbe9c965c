using System.Collections;
using System.Text;
using System.Text.Json;

// A Lambda function as the gateway launches it: it reads AWS_LAMBDA_RUNTIME_API and, like aws-lambda-go, asks for one
// invocation at a time, answering each before it asks again (wire contract §14). The argument picks the handler:
//   echo       returns the payload unchanged
//   log        writes a line to stdout and one to stderr naming the invocation, then returns the payload unchanged
//   env        returns the Lambda environment, the headers of its invocation and its payload (as text), as JSON
//   fail       reports seed 004's error document to /error
//   panic      reports an error document to /error, then exits with code 2, as aws-lambda-go does after a handler's panic
//   stream     streams a function URL response (aws-lambda-go's LambdaFunctionURLStreamingResponse): status 201, then
//              "first," and, once the event's rawPath does not end in /hold or the file named by STREAM_RELEASE exists,
//              "second"
//   hang       never answers
//   exit       exits with code 3 once it took an invocation, answering none
//   init-fail  writes a line to stderr, reports an init error before its first next, and exits
var runtimeApi = Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API");
if (string.IsNullOrEmpty(runtimeApi) || args is not [var handler and ("echo" or "log" or "env" or "fail" or "panic" or "stream" or "hang" or "exit" or "init-fail")])
{
    await Console.Error.WriteLineAsync("usage: AWS_LAMBDA_RUNTIME_API=host:port LambdaWorker echo|log|env|fail|panic|stream|hang|exit|init-fail").ConfigureAwait(false);
    return 2;
}

using var client = new HttpClient { BaseAddress = new Uri($"http://{runtimeApi}/2018-06-01/runtime/"), Timeout = Timeout.InfiniteTimeSpan };
if (handler == "init-fail")
{
    await Console.Error.WriteLineAsync("init-fail: cannot read /config.json").ConfigureAwait(false);
    using var initError = Json("""{"errorMessage":"cannot read the configuration","errorType":"Runtime.InitError"}""");
    using var reported = await client.PostAsync(new Uri("init/error", UriKind.Relative), initError).ConfigureAwait(false);
    Console.WriteLine($"init/error answered {(int)reported.StatusCode}");
    return 1;
}

Console.WriteLine($"lambda worker '{handler}' polling {runtimeApi}");
while (true)
{
    using var next = await client.GetAsync(new Uri("invocation/next", UriKind.Relative)).ConfigureAwait(false);
    var payload = await next.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
    var id = next.Headers.GetValues("Lambda-Runtime-Aws-Request-Id").Single();
    if (handler == "log")
    {
        Console.WriteLine($"handling {id}");
        await Console.Error.WriteLineAsync($"a warning while handling {id}").ConfigureAwait(false);
    }

    if (handler == "exit")
    {
        return 3;
    }

    if (handler == "hang")
    {
        await Task.Delay(Timeout.Infinite).ConfigureAwait(false);
    }

    using HttpContent reply = handler switch
    {
        "echo" or "log" => new ByteArrayContent(payload),
        "stream" => new StreamedResponse(JsonDocument.Parse(payload).RootElement.GetProperty("rawPath").GetString()!.EndsWith("/hold", StringComparison.Ordinal)),
        "env" => Json(JsonSerializer.Serialize(new
        {
            environment = LambdaEnvironment(),
            headers = next.Headers.ToDictionary(h => h.Key, h => string.Join(',', h.Value)),
            payload = Encoding.UTF8.GetString(payload),
        })),
        _ => Json("""{"errorMessage":"something went wrong!","errorType":"errorString"}"""),
    };
    var path = handler is "echo" or "log" or "env" or "stream" ? $"invocation/{id}/response" : $"invocation/{id}/error";
    using var answered = await client.PostAsync(new Uri(path, UriKind.Relative), reply).ConfigureAwait(false);
    if ((int)answered.StatusCode != 202)
    {
        await Console.Error.WriteLineAsync($"the runtime API answered {(int)answered.StatusCode} to {path}").ConfigureAwait(false);
        return 1;
    }

    if (handler == "panic")
    {
        return 2;
    }
}

static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

static Dictionary<string, string?> LambdaEnvironment() => Environment.GetEnvironmentVariables()
    .Cast<DictionaryEntry>()
    .Select(entry => (Name: (string)entry.Key, Value: (string?)entry.Value))
    .Where(variable => variable.Name.StartsWith("AWS_", StringComparison.Ordinal) || variable.Name is "_HANDLER" or "LAMBDA_TASK_ROOT" || variable.Name.StartsWith("FC_", StringComparison.Ordinal))
    .ToDictionary(variable => variable.Name, variable => variable.Value);

/// <summary>A streamed function URL response, sent chunked as it is written: the prelude, then the body in two pieces.</summary>
internal sealed class StreamedResponse : HttpContent
{
    private readonly bool _hold;

    public StreamedResponse(bool hold)
    {
        _hold = hold;
        Headers.TryAddWithoutValidation("Content-Type", "application/vnd.awslambda.http-integration-response");
    }

    protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
    {
        await stream.WriteAsync("{\"statusCode\":201}\0\0\0\0\0\0\0\0first,"u8.ToArray()).ConfigureAwait(false);
        await stream.FlushAsync().ConfigureAwait(false);
        var release = Environment.GetEnvironmentVariable("STREAM_RELEASE") ?? "";
        for (var waited = 0; _hold && !File.Exists(release) && waited < 60_000; waited += 20)
        {
            await Task.Delay(20).ConfigureAwait(false);
        }

        await stream.WriteAsync("second"u8.ToArray()).ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
