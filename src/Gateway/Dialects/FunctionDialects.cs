using FcGateway.Configuration;
using FcGateway.Dialects.FcV1;
using FcGateway.Dialects.FunctionUrl;

namespace FcGateway.Dialects;

/// <summary>
/// The dialect each function speaks: a function whose workers pull from AWS Lambda's runtime API receives the function URL
/// event (wire contract §14), every other one FC's v1 event (§1). Both dialects are stateless, so one of each serves all.
/// </summary>
internal sealed class FunctionDialects
{
    private readonly IFunctionDialect _fcV1 = new FcV1Dialect();
    private readonly IFunctionDialect _functionUrl = new FunctionUrlDialect();

    public IFunctionDialect For(FunctionSettings function) =>
        function.RuntimeApi == RuntimeApiProtocol.Lambda ? _functionUrl : _fcV1;
}
