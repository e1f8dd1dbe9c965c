namespace FcGateway.Configuration;

/// <summary>The HTTP event a Lambda function gets (<see cref="FunctionSettings.PayloadFormatVersion"/>).</summary>
public enum LambdaPayloadFormat
{
    /// <summary>Payload format 2.0: the function URL event (wire contract §14).</summary>
    V2,

    /// <summary>Payload format 1.0: API Gateway's REST API proxy event, with <c>multiValueHeaders</c> both ways.</summary>
    V1,
}
