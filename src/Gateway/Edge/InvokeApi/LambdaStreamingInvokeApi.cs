namespace FcGateway.Edge.InvokeApi;

/// <summary>
/// AWS Lambda's InvokeWithResponseStream (<c>POST /2021-11-15/functions/{FunctionName}/response-streaming-invocations</c>):
/// the request as Invoke's, but RequestResponse or DryRun only; the answer's body is an AWS event stream
/// (<see cref="ResponseStreamAnswer"/>), in which the log tail and a function's error come too.
/// </summary>
internal sealed class LambdaStreamingInvokeApi : LambdaInvokeApi
{
    public static new readonly LambdaStreamingInvokeApi Instance = new();

    public const string PathStart = "/2021-11-15/functions";
    public const string PathEnd = "/response-streaming-invocations";

    private LambdaStreamingInvokeApi()
    {
    }

    public override string Pattern => PathStart + "/{" + FunctionNameRouteValue + "}" + PathEnd;

    public override bool AnswersInEventStream => true;

    protected override string[] InvocationTypes { get; } = [LambdaValidation.RequestResponse, LambdaValidation.DryRun];
}
