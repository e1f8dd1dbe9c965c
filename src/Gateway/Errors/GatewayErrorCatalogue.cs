namespace FcGateway.Errors;

/// <summary>The one table of gateway error statuses and codes (wire contract §4).</summary>
internal static class GatewayErrorCatalogue
{
    public const int ClientClosedRequestStatus = 499;

    /// <summary>The body of every function failure on an HTTP trigger; details go to the log only.</summary>
    public const string FunctionFailedBody = "Internal Server Error";

    private static readonly GatewayErrorDescriptor[] Descriptors =
    [
        new(StatusCodes.Status502BadGateway, "FunctionFailed", FunctionFailedBody),
        new(StatusCodes.Status400BadRequest, "InvalidArgument", "The request is not valid."),
        new(StatusCodes.Status400BadRequest, "EntityTooLarge", "The request body is too large."),
        new(StatusCodes.Status403Forbidden, "AccessDenied", "Access denied."),
        new(StatusCodes.Status404NotFound, "FunctionNotFound", "No function is bound to this path."),
        new(StatusCodes.Status429TooManyRequests, "ResourceExhausted", "The function's concurrency limit is reached."),
        new(ClientClosedRequestStatus, "ClientClosedRequest", "The client closed the request."),
        new(StatusCodes.Status500InternalServerError, "InternalServerError", "An internal error occurred."),
        new(StatusCodes.Status503ServiceUnavailable, "ResourceThrottled", "No function instance is available."),
        new(StatusCodes.Status401Unauthorized, "AccessDenied", "Authentication is required."),
        new(StatusCodes.Status405MethodNotAllowed, "AccessDenied", "The method is not allowed by this trigger."),
    ];

    public static GatewayErrorDescriptor Describe(GatewayError error) => Descriptors[(int)error];
}
