using System.Text.Json;
using FcGateway.Dialects.FcV1.Events;

namespace FcGateway.Dialects.FunctionUrl;

/// <summary>The property names and fixed values of the function URL event that FC's event does not have, encoded once.</summary>
internal static class FunctionUrlJsonNames
{
    public static readonly JsonEncodedText V2 = JsonEncodedText.Encode("2.0");
    public static readonly JsonEncodedText RouteKey = JsonEncodedText.Encode("routeKey");
    public static readonly JsonEncodedText Default = JsonEncodedText.Encode("$default", MinimalJsonEncoder.Instance);
    public static readonly JsonEncodedText RawQueryString = JsonEncodedText.Encode("rawQueryString");
    public static readonly JsonEncodedText Cookies = JsonEncodedText.Encode("cookies");
    public static readonly JsonEncodedText QueryStringParameters = JsonEncodedText.Encode("queryStringParameters");
    public static readonly JsonEncodedText ApiId = JsonEncodedText.Encode("apiId");
    public static readonly JsonEncodedText Stage = JsonEncodedText.Encode("stage");
    public static readonly JsonEncodedText XForwardedFor = JsonEncodedText.Encode("x-forwarded-for");
    public static readonly JsonEncodedText Authorizer = JsonEncodedText.Encode("authorizer");
    public static readonly JsonEncodedText Iam = JsonEncodedText.Encode("iam");
    public static readonly JsonEncodedText AccessKey = JsonEncodedText.Encode("accessKey");
    public static readonly JsonEncodedText CognitoIdentity = JsonEncodedText.Encode("cognitoIdentity");
    public static readonly JsonEncodedText PrincipalOrgId = JsonEncodedText.Encode("principalOrgId");
}
