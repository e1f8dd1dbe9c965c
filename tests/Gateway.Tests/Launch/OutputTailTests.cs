using System.Text;
using FcGateway.Launch;

namespace Gateway.Tests.Launch;

public sealed class OutputTailTests
{
    [Fact]
    public void Since_IsTheLinesAddedAfterTheMark_EachEndedByALineFeed()
    {
        var tail = new OutputTail();
        tail.Add("before");
        var mark = tail.Mark();
        tail.Add("first");
        tail.Add("");
        tail.Add("third");

        Assert.Equal("first\n\nthird\n", tail.Since(mark));
        Assert.Equal("", tail.Since(tail.Mark()));
    }

    [Fact]
    public void Since_MoreThan4KiB_IsTheLastLinesThatFit_StartingAtALine()
    {
        var tail = new OutputTail();
        var mark = tail.Mark();
        for (var i = 0; i < 100; i++)
        {
            tail.Add($"line {i:000} " + new string('x', 90));
        }

        var text = tail.Since(mark);

        Assert.True(Encoding.UTF8.GetByteCount(text) <= OutputTail.MaxBytes);
        Assert.StartsWith("line ", text, StringComparison.Ordinal);
        Assert.EndsWith($"line 099 {new string('x', 90)}\n", text, StringComparison.Ordinal);
        Assert.Equal(4000 / 100, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Since_OneLineLongerThan4KiB_IsItsEnd_NeverHalfACharacter()
    {
        var tail = new OutputTail();
        var mark = tail.Mark();
        tail.Add("start" + string.Concat(Enumerable.Repeat("😀é", 2000)));

        var text = tail.Since(mark);

        var bytes = Encoding.UTF8.GetByteCount(text);
        Assert.InRange(bytes, OutputTail.MaxBytes - 3, OutputTail.MaxBytes);
        Assert.EndsWith("😀é\n", text, StringComparison.Ordinal);
        Assert.False(char.IsLowSurrogate(text[0]));
    }

    /// <summary>A long line before a short last one: its end is kept, not dropped to begin at the last line.</summary>
    [Fact]
    public void Since_ALongLineBeforeTheLast_KeepsTheLongLinesEnd()
    {
        var tail = new OutputTail();
        var mark = tail.Mark();
        tail.Add("short-before");
        tail.Add(new string('y', 6000) + "END");
        tail.Add("FC Invoke End RequestId: 1-6b10");

        var text = tail.Since(mark);

        Assert.InRange(Encoding.UTF8.GetByteCount(text), OutputTail.MaxBytes - 3, OutputTail.MaxBytes);
        Assert.EndsWith("yyyEND\nFC Invoke End RequestId: 1-6b10\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_KeepsOnlyTheLatestLines_AnOldMarkGetsWhatIsLeft()
    {
        var tail = new OutputTail();
        var mark = tail.Mark();
        for (var i = 0; i < 2000; i++)
        {
            tail.Add(new string('a', 100));
        }

        tail.Add("last");

        Assert.EndsWith("last\n", tail.Since(mark), StringComparison.Ordinal);
    }
}
