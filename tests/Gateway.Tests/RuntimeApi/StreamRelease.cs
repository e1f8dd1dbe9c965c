namespace Gateway.Tests.RuntimeApi;

/// <summary>
/// The file whose existence lets a streaming handler (tests/LambdaWorker's <c>stream</c>, tests/LambdaInterop's
/// <c>index.stream</c>) end the stream it holds open; deleted on disposal.
/// </summary>
internal sealed class StreamRelease : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"fc-gateway-stream-{Guid.NewGuid():N}");

    public Task OpenAsync() => File.WriteAllTextAsync(Path, "");

    public void Dispose() => File.Delete(Path);
}
