namespace FcGateway.Errors;

/// <summary>The gateway's own errors (wire contract §4); <see cref="GatewayErrorCatalogue"/> maps each to its response.</summary>
internal enum GatewayError
{
    /// <summary>The function failed, timed out, crashed or answered with something that is not a valid response.</summary>
    FunctionFailed,
    InvalidArgument,
    EntityTooLarge,
    AccessDenied,
    FunctionNotFound,
    ResourceExhausted,
    ClientClosedRequest,
    InternalServerError,
    ResourceThrottled,

    /// <summary>A trigger that requires credentials got none or invalid ones (401, errorCode AccessDenied).</summary>
    Unauthenticated,

    /// <summary>The trigger does not allow the request's method (405, errorCode AccessDenied).</summary>
    MethodNotAllowed,
}
