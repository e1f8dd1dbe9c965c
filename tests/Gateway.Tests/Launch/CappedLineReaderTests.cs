using FcGateway.Launch;

namespace Gateway.Tests.Launch;

public sealed class CappedLineReaderTests
{
    [Theory]
    [InlineData("", new string[0])]
    [InlineData("one\ntwo\n", new[] { "one", "two" })]
    [InlineData("one\r\ntwo", new[] { "one", "two" })]
    [InlineData("\n\n", new[] { "", "" })]
    [InlineData("a\rb\n", new[] { "a\rb" })]
    [InlineData("12345678\n", new[] { "12345678" })]
    [InlineData("12345678\r\n", new[] { "12345678" })]
    [InlineData("123456789\nnext\n", new[] { "12345678…", "next" })]
    [InlineData("1234567890123456789012345", new[] { "12345678…" })]
    [InlineData("1234567\uD83D\uDE00\n", new[] { "1234567…" })]
    public async Task ReadLineAsync_Text_LinesCappedAtMaxLength(string text, string[] expected)
    {
        var reader = new CappedLineReader(new StringReader(text), maxLength: 8);
        var lines = new List<string>();
        while (await reader.ReadLineAsync(CancellationToken.None) is { } line)
        {
            lines.Add(line.Truncated ? line.Text + "…" : line.Text);
        }

        Assert.Equal(expected, lines);
    }

    [Fact]
    public async Task ReadLineAsync_LineLongerThanItsBuffer_HeadKeptRestDropped()
    {
        var text = new string('x', 20_000) + "\nnext\n";
        var reader = new CappedLineReader(new StringReader(text), maxLength: 8192);

        var first = await reader.ReadLineAsync(CancellationToken.None);
        var second = await reader.ReadLineAsync(CancellationToken.None);

        Assert.Equal(new OutputLine(new string('x', 8192), Truncated: true), first);
        Assert.Equal(new OutputLine("next", Truncated: false), second);
        Assert.Null(await reader.ReadLineAsync(CancellationToken.None));
    }
}
