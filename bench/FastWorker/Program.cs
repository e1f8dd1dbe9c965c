using System.Text;

// A minimal FC custom-runtime worker: POST /invoke answers a fixed output with x-fc-status: 200; every other
// method and path answers "ok", so plain YARP and nginx can forward the same requests to it. Request bodies
// are drained without being kept. Usage: FastWorker --urls http://127.0.0.1:<port> [--Mode garbage|sleep]
// The modes make a faulty function for bench/soak.sh: "garbage" answers every invoke with output that is not a
// valid response (a 1xx status, a header with CR/LF); "sleep" answers after --SleepMs (default 2000) milliseconds,
// but for the gateway's health probes (GET /healthz), which it answers at once: a probe unanswered within its timeout
// (2 s by default) twice in a row takes the worker out of rotation, and every invocation would then be a 503.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    // Events carry base64 bodies: a 32 MB request becomes a ~45 MB event.
    kestrel.Limits.MaxRequestBodySize = 64L * 1024 * 1024;
});

var app = builder.Build();
var mode = app.Configuration["Mode"];
var sleep = TimeSpan.FromMilliseconds(app.Configuration.GetValue("SleepMs", 2000));
var invokeOutput = Encoding.UTF8.GetBytes(mode == "garbage"
    ? """{"statusCode":99,"headers":{"X-A":"a\r\nSet-Cookie: evil"},"body":"x"}"""
    : """{"statusCode":200,"body":"ok"}""");
var plainOutput = "ok"u8.ToArray();

app.Run(async context =>
{
    await DrainAsync(context.Request);
    if (mode == "sleep" && context.Request.Path != "/healthz")
    {
        await Task.Delay(sleep, context.RequestAborted);
    }

    var response = context.Response;
    var isInvoke = HttpMethods.IsPost(context.Request.Method) && context.Request.Path == "/invoke";
    if (isInvoke)
    {
        response.Headers["x-fc-status"] = "200";
    }

    var body = isInvoke ? invokeOutput : plainOutput;
    response.ContentType = isInvoke ? "application/json" : "text/plain";
    response.ContentLength = body.Length;
    await response.Body.WriteAsync(body, context.RequestAborted);
});

await app.RunAsync();

static async Task DrainAsync(HttpRequest request)
{
    var reader = request.BodyReader;
    while (true)
    {
        var result = await reader.ReadAsync(request.HttpContext.RequestAborted);
        reader.AdvanceTo(result.Buffer.End);
        if (result.IsCompleted)
        {
            return;
        }
    }
}
