using System.Net;


namespace FcGateway.Configuration;

/// <summary>Settings of one function, from <c>Gateway:Functions:{name}</c>.</summary>
public sealed record FunctionSettings
{
    /// <summary>The settings of a function that has no configuration entry.</summary>
    public static readonly FunctionSettings Default = new();

    /// <summary>Bounds the whole invocation (initialization wait, invoke, reading the output). Default one minute.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Memory in MB, sent as <c>x-fc-function-memory</c>. Default 512.</summary>
    public int MemorySize { get; init; } = 512;

    /// <summary>Sent as <c>x-fc-qualifier</c>. Default <c>LATEST</c>.</summary>
    public string Qualifier { get; init; } = "LATEST";

    /// <summary>Sent as <c>x-fc-version-id</c>. Default <c>LATEST</c>.</summary>
    public string VersionId { get; init; } = "LATEST";

    /// <summary>Sent as <c>x-fc-function-handler</c>. Default <c>index.handler</c>.</summary>
    public string Handler { get; init; } = "index.handler";

    /// <summary>When true, each worker instance receives <c>POST /initialize</c> once before its first invoke.</summary>
    public bool Initializer { get; init; }

    /// <summary>Sent as <c>x-fc-function-initializer</c> when <see cref="Initializer"/> is true. Default <c>index.initializer</c>.</summary>
    public string InitializerHandler { get; init; } = "index.initializer";

    /// <summary>Bounds one <c>/initialize</c> call, sent as <c>x-fc-initialization-timeout</c>. Default 30 seconds.</summary>
    public TimeSpan InitializationTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// When true, an instance is told before it is retired, bounded by <see cref="Timeout"/>: a pushed worker gets
    /// <c>GET /pre-stop</c> once a reload has taken its address out of the function's cluster and it runs nothing; an
    /// instance the gateway launched gets a pre-stop invocation (<c>x-fc-function-type: 2</c>) before it is stopped. Never
    /// for a Lambda function, nor for pulling workers the gateway did not launch. Default false.
    /// </summary>
    public bool PreStop { get; init; }

    /// <summary>
    /// How many invocations one worker instance handles at a time. Default 1, as FC and the seeds: an instance
    /// processes one request at a time. The gateway never sends an instance more, and picks a free one.
    /// </summary>
    public int InstanceConcurrency { get; init; } = 1;

    /// <summary>How many invocations may wait for a free instance; more are refused with 429 ResourceExhausted. Default 100.</summary>
    public int MaxQueueLength { get; init; } = 100;

    /// <summary>How long an invocation may wait for a free instance before it is refused with 429. Default 30 seconds.</summary>
    public TimeSpan QueueTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Credentials passed to the worker; headers are sent only for the values that are set.</summary>
    public FunctionCredentials Credentials { get; init; } = FunctionCredentials.None;

    /// <summary>The runtime API the function's workers pull their invocations from; null (the default) pushes them to workers (<c>POST /invoke</c>).</summary>
    public RuntimeApiProtocol? RuntimeApi { get; init; }

    /// <summary>
    /// The event a Lambda function (<see cref="RuntimeApi"/> lambda) gets through an HTTP trigger, and the response rules
    /// its output follows (<c>PayloadFormatVersion</c>): the function URL event, payload format 2.0 (the default), or API
    /// Gateway's payload format 1.0, the REST API's proxy event, for handlers written for it.
    /// </summary>
    public LambdaPayloadFormat PayloadFormatVersion { get; init; } = LambdaPayloadFormat.V2;

    /// <summary>
    /// A runtime API port of the function's own (<c>RuntimeApiUrl</c>, <c>http://127.0.0.1:9511</c>), where every request is
    /// served as under the function's prefix on the shared listener: for runtime clients started elsewhere that keep only
    /// <c>host:port</c>. Null (the default): none. Read at start-up.
    /// </summary>
    public IPEndPoint? RuntimeApiUrl { get; init; }

    /// <summary>How the gateway starts the function's instances; null (no <c>Command</c>) when something else starts them.</summary>
    public FunctionLaunchSettings? Launch { get; init; }
}
