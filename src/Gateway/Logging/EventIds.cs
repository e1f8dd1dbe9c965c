namespace FcGateway;

/// <summary>The gateway's log event ids, kept in one place so they stay unique.</summary>
internal static class EventIds
{
    public const int SettingsReloadRejected = 1;
    public const int SettingsReloaded = 2;
    public const int FunctionWithoutSettings = 3;
    public const int ConfigurationFileReloadFailed = 4;
    public const int StartupSummary = 5;
    public const int SettingsWaitForARestart = 6;
    public const int SettingsUnchanged = 7;
    public const int ClusterWithoutDestinations = 8;
    public const int FunctionWithoutRoutes = 9;
    public const int HangupStops = 18;
    public const int CertificateOutOfDate = 19;

    public const int RequestRejected = 10;
    public const int UnhandledException = 11;
    public const int ClientClosedRequest = 12;
    public const int RequestHeadRefused = 13;

    public const int FunctionFailed = 20;
    public const int InvocationFailed = 21;
    public const int InvocationRefused = 22;
    public const int ResponseHeaderDropped = 23;

    public const int AccessLog = 30;

    public const int WorkerDown = 40;
    public const int WorkerUp = 41;
    public const int WorkerRetired = 42;
    public const int WorkerPreStopped = 43;
    public const int WorkerPreStopFailed = 44;

    public const int TriggerAuthenticationFailed = 50;

    public const int FunctionProcessStarted = 60;
    public const int FunctionProcessExited = 61;
    public const int FunctionProcessKilled = 62;
    public const int FunctionOutputLine = 63;
    public const int FunctionProcessesStopping = 64;
    public const int FunctionProcessesNotStoppedIfKilled = 65;

    public const int RuntimeApiListening = 70;
    public const int RuntimeApiReplyRefused = 71;
    public const int InstanceReady = 72;
    public const int InstanceStartFailed = 73;
    public const int InstanceExited = 74;
    public const int InstanceReplaced = 75;
    public const int InstanceIdle = 76;
    public const int InstanceInitializationFailed = 77;
    public const int InstancePreStopFailed = 78;
    public const int RuntimeApiInitError = 79;
    public const int RuntimeApiPollInTheOtherProtocol = 80;
    public const int RuntimeApiFunctionListening = 81;
    public const int InstanceRestartDelayed = 82;
    public const int InstanceRetired = 83;
    public const int InstanceTakenBack = 84;
    public const int InstanceWatchFailed = 85;
    public const int RuntimeApiReplyReading = 86;

    public const int AsyncInvocationSucceeded = 90;
    public const int AsyncInvocationRetrying = 91;
    public const int AsyncInvocationFailed = 92;
    public const int AsyncInvocationDropped = 93;
}
