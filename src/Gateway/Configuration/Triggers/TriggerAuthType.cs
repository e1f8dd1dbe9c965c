
namespace FcGateway.Configuration.Triggers;

/// <summary>How an HTTP trigger authenticates its callers (FC <c>authType</c>).</summary>
public enum TriggerAuthType
{
    /// <summary>No check: every caller may invoke the function.</summary>
    Anonymous,

    /// <summary>A JSON Web Token signed by a key of the trigger's JWKS.</summary>
    Jwt,

    /// <summary><c>Authorization: Bearer</c> with one of the trigger's static tokens.</summary>
    Bearer,

    /// <summary>FC's signature authentication: signed with a key of <c>Gateway:AccessKeys</c> (<c>ACS3-HMAC-SHA256</c>).</summary>
    Function,

    /// <summary>Lambda's function URL <c>AWS_IAM</c>: signed with a key of <c>Gateway:InvokeApi:AwsAccessKeys</c> (AWS Signature Version 4).</summary>
    AwsIam,
}
