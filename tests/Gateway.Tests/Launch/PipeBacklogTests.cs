using System.IO.Pipes;
using FcGateway.Launch;

namespace Gateway.Tests.Launch;

public sealed class PipeBacklogTests
{
    [Fact]
    public async Task BytesWaiting_IsWhatWasWrittenAndNotYetRead()
    {
        using var writer = new AnonymousPipeServerStream(PipeDirection.Out);
        using var reader = new StreamReader(new AnonymousPipeClientStream(PipeDirection.In, writer.ClientSafePipeHandle));
        if (!OperatingSystem.IsLinux())
        {
            // FIONREAD is looked into on Linux only: elsewhere the backlog is unknown, and a log tail does not wait for it.
            Assert.Null(PipeBacklog.BytesWaiting(reader));
            return;
        }

        Assert.Equal(0, PipeBacklog.BytesWaiting(reader));
        await writer.WriteAsync("line one\nline two\n"u8.ToArray());
        await writer.FlushAsync();
        Assert.Equal(18, PipeBacklog.BytesWaiting(reader));

        var buffer = new char[64];
        var read = await reader.ReadAsync(buffer);

        Assert.Equal(18, read);
        Assert.Equal(0, PipeBacklog.BytesWaiting(reader));
    }

    [Fact]
    public void BytesWaiting_OfAReaderOverNoPipe_IsUnknown()
    {
        Assert.Null(PipeBacklog.BytesWaiting(new StringReader("text")));
        Assert.Null(PipeBacklog.BytesWaiting(new StreamReader(new MemoryStream("text"u8.ToArray()))));
    }

    [Fact]
    public void BytesWaiting_OfAClosedReader_IsUnknown()
    {
        using var writer = new AnonymousPipeServerStream(PipeDirection.Out);
        var reader = new StreamReader(new AnonymousPipeClientStream(PipeDirection.In, writer.ClientSafePipeHandle));
        reader.Dispose();

        Assert.Null(PipeBacklog.BytesWaiting(reader));
    }
}
