namespace FcWorker.Tests.Binding;

public sealed record TestPayload(string Name, int Count);
