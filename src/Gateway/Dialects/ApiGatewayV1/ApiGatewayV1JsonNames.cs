using System.Text.Json;

namespace FcGateway.Dialects.ApiGatewayV1;

/// <summary>The property names and fixed values of API Gateway's payload format 1.0 that the other events do not have, encoded once.</summary>
internal static class ApiGatewayV1JsonNames
{
    public static readonly JsonEncodedText V1 = JsonEncodedText.Encode("1.0");
    public static readonly JsonEncodedText Resource = JsonEncodedText.Encode("resource");
    public static readonly JsonEncodedText HttpMethod = JsonEncodedText.Encode("httpMethod");
    public static readonly JsonEncodedText MultiValueHeaders = JsonEncodedText.Encode("multiValueHeaders");
    public static readonly JsonEncodedText MultiValueQueryStringParameters = JsonEncodedText.Encode("multiValueQueryStringParameters");
    public static readonly JsonEncodedText PathParameters = JsonEncodedText.Encode("pathParameters");
    public static readonly JsonEncodedText StageVariables = JsonEncodedText.Encode("stageVariables");
    public static readonly JsonEncodedText ExtendedRequestId = JsonEncodedText.Encode("extendedRequestId");
    public static readonly JsonEncodedText Identity = JsonEncodedText.Encode("identity");
    public static readonly JsonEncodedText RequestTime = JsonEncodedText.Encode("requestTime");
    public static readonly JsonEncodedText RequestTimeEpoch = JsonEncodedText.Encode("requestTimeEpoch");
    public static readonly JsonEncodedText ResourcePath = JsonEncodedText.Encode("resourcePath");
}
