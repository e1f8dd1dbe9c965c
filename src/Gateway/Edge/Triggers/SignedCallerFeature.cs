namespace FcGateway.Edge.Triggers;

/// <summary>The caller of an <c>aws_iam</c> trigger, known by the key its request was signed with (Lambda's <c>authorizer.iam</c>).</summary>
internal sealed record SignedCallerFeature(string AccessKeyId);
