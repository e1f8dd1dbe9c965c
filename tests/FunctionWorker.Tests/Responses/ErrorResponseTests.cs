using FcWorker.Tests.TestHelpers;

namespace FcWorker.Tests.Responses;

public sealed class ErrorResponseTests
{
    public static TheoryData<string> FailingShapes => [.. Handlers.Keys];

    private static Dictionary<string, Delegate> Handlers { get; } = new()
    {
        ["throws"] = () => Fail(),
        ["throws after await"] = async () =>
        {
            await Task.Yield();
            return Fail();
        },
        ["faulted task"] = () => Task.FromException<string>(new InvalidOperationException("boom")),
        ["faulted value task"] = () => ValueTask.FromException(new InvalidOperationException("boom")),
    };

    [Theory]
    [MemberData(nameof(FailingShapes))]
    public async Task Invoke_HandlerFails_Returns404WithFcErrorBody(string shape)
    {
        await using var worker = await TestWorker.StartAsync(Handlers[shape]);

        using var response = await worker.InvokeAsync("");

        var error = await FcReply.AssertFunctionErrorAsync(response, "InvalidOperationException");
        Assert.Equal("boom", error.GetProperty("errorMessage").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Array, error.GetProperty("stackTrace").ValueKind);
    }

    [Fact]
    public async Task Invoke_HandlerThrows_StackTraceIsArrayOfFrames()
    {
        await using var worker = await TestWorker.StartAsync(() => Fail());

        using var response = await worker.InvokeAsync("");

        var error = await FcReply.AssertFunctionErrorAsync(response, "InvalidOperationException");
        var frames = error.GetProperty("stackTrace").EnumerateArray().Select(frame => frame.GetString()!).ToList();
        Assert.Contains(frames, frame => frame.Contains(nameof(Fail), StringComparison.Ordinal));
        Assert.All(frames, frame => Assert.StartsWith("at ", frame, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invoke_HandlerThrows_StackTraceNamesSourceFilesWithoutTheirDirectories()
    {
        await using var worker = await TestWorker.StartAsync(() => Fail());

        using var response = await worker.InvokeAsync("");

        var error = await FcReply.AssertFunctionErrorAsync(response, "InvalidOperationException");
        var frames = error.GetProperty("stackTrace").EnumerateArray().Select(frame => frame.GetString()!).ToList();
        Assert.Contains(frames, frame => System.Text.RegularExpressions.Regex.IsMatch(frame, @" in ErrorResponseTests\.cs:line \d+$"));
        Assert.DoesNotContain(frames, frame => frame.Contains('/', StringComparison.Ordinal) || frame.Contains('\\', StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("at Fn.Handle() in /home/build/src/Fn.cs:line 12", "at Fn.Handle() in Fn.cs:line 12")]
    [InlineData(@"at Fn.Handle() in C:\build\src\Fn.cs:line 7", "at Fn.Handle() in Fn.cs:line 7")]
    [InlineData("at Fn.Handle() in /src/Fn.cs", "at Fn.Handle() in Fn.cs")]
    [InlineData("at Fn.Handle()", "at Fn.Handle()")]
    [InlineData("--- End of stack trace from previous location ---", "--- End of stack trace from previous location ---")]
    public void WithFileNameOnly_CutsTheDirectories(string frame, string expected)
    {
        Assert.Equal(expected, FcWorker.Responses.FcErrorBody.WithFileNameOnly(frame));
    }

    [Fact]
    public async Task Invoke_StreamOutputFailsMidway_AbortsConnectionInsteadOfTruncatedSuccess()
    {
        await using var worker = await TestWorker.StartAsync(() => (Stream)new FailingStream());

        var exception = await Record.ExceptionAsync(async () =>
        {
            using var response = await worker.InvokeAsync("");
            await response.Content.ReadAsByteArrayAsync();
        });

        Assert.IsType<HttpRequestException>(exception, exactMatch: false);
    }

    private static string Fail() => throw new InvalidOperationException("boom");

    /// <summary>Sends one chunk, then fails: the reply has started when the error happens.</summary>
    private sealed class FailingStream : Stream
    {
        private bool _sent;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_sent)
            {
                await Task.Yield();
                throw new IOException("the source broke");
            }

            _sent = true;
            buffer.Span[0] = (byte)'x';
            return 1;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
