namespace FcGateway.Dialects.FcV1.Output;

/// <summary>Where a dialect's output rules differ from FC's (wire contract §3); <see cref="FcV1"/> is FC's own.</summary>
internal sealed record OutputRules
{
    public static readonly OutputRules FcV1 = new();

    /// <summary>
    /// Whether the output's <c>cookies</c> (an array of strings) become one <c>Set-Cookie</c> header each, as AWS
    /// function URLs do (§14); FC ignores the field.
    /// </summary>
    public bool CookiesAreSetCookieHeaders { get; init; }

    /// <summary>
    /// Whether a <c>statusCode</c> may be a JSON string of decimal digits (<c>"302"</c>), as AWS function URLs take it
    /// (a JavaScript function's status is often a string); FC takes a JSON number only.
    /// </summary>
    public bool StatusCodeMayBeDigitString { get; init; }

    /// <summary>
    /// Whether the output's <c>multiValueHeaders</c> (an object of string arrays) become header lines, one per value, as
    /// API Gateway's payload format 1.0 does; a value <c>headers</c> repeats is sent once. FC ignores the field.
    /// </summary>
    public bool MultiValueHeaders { get; init; }

    /// <summary>
    /// Whether an output that is not a response object (a JSON object with <c>statusCode</c>) is a bad response, as API
    /// Gateway's payload format 1.0 has it ("malformed Lambda proxy response", 502), rather than a body sent with 200.
    /// </summary>
    public bool RequiresResponseObject { get; init; }
}
