namespace FcGateway.Diagnostics;

/// <summary>Attribute names shared by spans, metrics and logs: OpenTelemetry semantic conventions, then the gateway's own.</summary>
internal static class TelemetryTags
{
    public const string FaasTrigger = "faas.trigger";
    public const string HttpTrigger = "http";
    public const string OtherTrigger = "other";
    public const string FaasInvocationId = "faas.invocation_id";
    public const string FaasColdStart = "faas.coldstart";
    public const string FunctionName = "faas.invoked_name";
    public const string FaasInvokedProvider = "faas.invoked_provider";
    public const string FaasInvokedRegion = "faas.invoked_region";
    public const string AlibabaCloud = "alibaba_cloud";
    public const string CloudAccountId = "cloud.account.id";
    public const string CloudRegion = "cloud.region";
    public const string HttpRoute = "http.route";
    public const string HttpMethod = "http.request.method";
    public const string HttpStatusCode = "http.response.status_code";
    public const string ServerAddress = "server.address";
    public const string ServerPort = "server.port";
    public const string ErrorType = "error.type";

    public const string Outcome = "fcgateway.outcome";
    public const string Destination = "fcgateway.destination";
    public const string RequestId = "fcgateway.request_id";
}
