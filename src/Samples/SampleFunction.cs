namespace FcWorker.Samples;

/// <summary>One sample function: its name, its default loopback port, and its handler.</summary>
/// <param name="Name">The sample's name, e.g. <c>http-echo</c>; also its configuration key <c>Samples:{Name}:Port</c>.</param>
/// <param name="Port">The default port when all samples run in one process.</param>
/// <param name="Handler">The handler, ready for <see cref="FunctionWorker.Create"/>.</param>
/// <param name="Description">What the sample does, in one line.</param>
public sealed record SampleFunction(string Name, int Port, Delegate Handler, string Description);
