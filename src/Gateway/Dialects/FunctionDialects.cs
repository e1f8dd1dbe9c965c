using FcGateway.Configuration;
using FcGateway.Dialects.ApiGatewayV1;
using FcGateway.Dialects.FcV1;
using FcGateway.Dialects.FunctionUrl;

namespace FcGateway.Dialects;

/// <summary>
/// The dialect each function speaks: a function whose workers pull from AWS Lambda's runtime API receives the function URL
/// event (wire contract §14), or API Gateway's payload format 1.0 where its <c>PayloadFormatVersion</c> says so; every
/// other one FC's v1 event (§1). The dialects are stateless, so one of each serves all.
/// </summary>
internal sealed class FunctionDialects
{
    private readonly IFunctionDialect _fcV1 = new FcV1Dialect();
    private readonly IFunctionDialect _functionUrl = new FunctionUrlDialect();
    private readonly IFunctionDialect _apiGatewayV1 = new ApiGatewayV1Dialect();

    public IFunctionDialect For(FunctionSettings function) =>
        function.RuntimeApi != RuntimeApiProtocol.Lambda ? _fcV1
        : function.PayloadFormatVersion == LambdaPayloadFormat.V1 ? _apiGatewayV1
        : _functionUrl;
}
