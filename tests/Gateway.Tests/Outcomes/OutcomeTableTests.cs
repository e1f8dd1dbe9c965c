using FcGateway.Outcomes;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Tests.Outcomes;

public sealed class OutcomeTableTests
{
    public static TheoryData<string> EveryOutcome() => new(Enum.GetNames<Outcome>());

    [Theory]
    [MemberData(nameof(EveryOutcome))]
    public void EveryOutcome_HasARow(string name)
    {
        var outcome = Enum.Parse<Outcome>(name);
        var row = OutcomeTable.Of(outcome);

        Assert.InRange(row.StatusCode, 200, 599);
        Assert.False(string.IsNullOrEmpty(row.Name));
        Assert.Equal(row.IsFunctionFailure || outcome == Outcome.Success, row.ErrorCode.Length == 0);
    }

    [Theory]
    [InlineData("Success", 200, "", "success", LogLevel.Debug)]
    [InlineData("FunctionError", 502, "", "function_error", LogLevel.Warning)]
    [InlineData("Timeout", 502, "", "timeout", LogLevel.Warning)]
    [InlineData("WorkerCrashed", 502, "", "worker_crashed", LogLevel.Warning)]
    [InlineData("InstanceGone", 502, "", "worker_crashed", LogLevel.Warning)]
    [InlineData("BadResponse", 502, "", "bad_response", LogLevel.Warning)]
    [InlineData("InitializationFailed", 502, "", "initialization_failed", LogLevel.Warning)]
    [InlineData("ClientClosed", 499, "ClientClosedRequest", "client_closed", LogLevel.Information)]
    [InlineData("QueueFull", 429, "ResourceExhausted", "throttled", LogLevel.Warning)]
    [InlineData("QueueTimeout", 429, "ResourceExhausted", "throttled", LogLevel.Warning)]
    [InlineData("NoInstance", 503, "ResourceThrottled", "no_instance", LogLevel.Warning)]
    [InlineData("InvalidArgument", 400, "InvalidArgument", "rejected", LogLevel.Debug)]
    [InlineData("EntityTooLarge", 400, "EntityTooLarge", "rejected", LogLevel.Debug)]
    [InlineData("RequestTooSlow", 408, "InvalidArgument", "rejected", LogLevel.Debug)]
    [InlineData("AccessDenied", 403, "AccessDenied", "rejected", LogLevel.Debug)]
    [InlineData("Unauthenticated", 401, "AccessDenied", "rejected", LogLevel.Debug)]
    [InlineData("MethodDenied", 403, "AccessDenied", "rejected", LogLevel.Debug)]
    [InlineData("MethodNotAllowed", 405, "AccessDenied", "rejected", LogLevel.Debug)]
    [InlineData("FunctionNotFound", 404, "FunctionNotFound", "not_found", LogLevel.Debug)]
    [InlineData("InternalError", 500, "InternalServerError", "internal_error", LogLevel.Error)]
    public void Row_IsTheWireContractsCatalogue(string outcome, int status, string errorCode, string name, LogLevel level)
    {
        var row = OutcomeTable.Of(Enum.Parse<Outcome>(outcome));

        Assert.Equal((status, errorCode, name, level), (row.StatusCode, row.ErrorCode, row.Name, row.LogLevel));
    }

    [Theory]
    [InlineData("Timeout", "FunctionTimeoutError", ForwarderError.RequestTimedOut)]
    [InlineData("WorkerCrashed", "ProcessExitedError", ForwarderError.Request)]
    [InlineData("BadResponse", "InvalidResponseError", ForwarderError.None)]
    [InlineData("InitializationFailed", "InitializationError", ForwarderError.None)]
    [InlineData("FunctionError", null, ForwarderError.None)]
    public void FunctionFailures_CarryTheirErrorTypeAndPassiveHealthReport(string outcome, string? errorType, ForwarderError passiveHealth)
    {
        var row = OutcomeTable.Of(Enum.Parse<Outcome>(outcome));

        Assert.True(row.IsFunctionFailure);
        Assert.Equal(errorType, row.ErrorType);
        Assert.Equal(passiveHealth, row.PassiveHealthError);
    }

    [Fact]
    public void AnOutcomeWithoutARow_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => OutcomeTable.Of((Outcome)int.MaxValue));
}
