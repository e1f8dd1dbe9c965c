namespace FcGateway.Configuration;

internal sealed partial class GatewayProxyConfigProvider
{
    /// <summary>
    /// An accepted edit while YARP applies it: its configuration and the one it replaces, its settings, the settings and
    /// sections before it, and the keys of the settings read at start-up that it holds otherwise.
    /// </summary>
    private sealed record Edit(
        Snapshot Config, Snapshot Replaced, GatewaySettings Settings, GatewaySettings Previous, AppliedSections PreviousSections, IReadOnlyList<string> WaitingForARestart)
    {
        /// <summary>
        /// Completed once YARP has reported the edit applied, refused or not loaded, after the settings that go with that are put in
        /// force (even should that fail, so that no later edit waits forever): the next reload waits for it. Its
        /// continuation runs on its own, not inside YARP's report.
        /// </summary>
        public TaskCompletionSource Reported { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
