using FcGateway;

namespace Gateway.Tests.Logging;

public sealed class LogTextTests
{
    [Theory]
    [InlineData("a\r\nb", "a\\u000d\\u000ab")]
    [InlineData("\u001b[31mred", "\\u001b[31mred")]
    [InlineData("x\u0085y\u2028z", "x\\u0085y\\u2028z")]
    [InlineData("admin\u202Etxt.exe", "admin\\u202etxt.exe")]
    [InlineData("\u2066a\u2069\u200e\u200f\u061c", "\\u2066a\\u2069\\u200e\\u200f\\u061c")]
    [InlineData("\u202a\u202b\u202c\u202d", "\\u202a\\u202b\\u202c\\u202d")]
    public void Escape_ControlLineAndBidirectionalCharacters_AreWrittenAsEscapes(string text, string escaped)
    {
        Assert.Equal(escaped, LogText.Escape(text));
    }

    [Theory]
    [InlineData("plain /path?q=1")]
    [InlineData("中文 é ß 😀 \u200d")]
    public void Escape_OtherText_IsReturnedAsItIs(string text)
    {
        Assert.Same(text, LogText.Escape(text));
    }

    [Fact]
    public void EscapeField_UpToTheBound_IsEscapeAlone()
    {
        var text = new string('a', LogText.MaxFieldLength - 6) + "\r";

        Assert.Equal(new string('a', LogText.MaxFieldLength - 6) + "\\u000d", LogText.EscapeField(text));
    }

    [Fact]
    public void EscapeField_LongerThanTheBound_IsCutAtAWholeEscape_AndSaysHowLongItWas()
    {
        var text = new string('a', LogText.MaxFieldLength - 3) + new string('\r', 5000);

        var field = LogText.EscapeField(text);

        var kept = new string('a', LogText.MaxFieldLength - 3);
        Assert.Equal($"{kept}… ({text.Length} characters in all)", field);
    }

    [Fact]
    public void EscapeField_CutInsideACharacterOfTwoUnits_LeavesItOutWhole()
    {
        var text = new string('a', LogText.MaxFieldLength - 1) + string.Concat(Enumerable.Repeat("😀", 10));

        var field = LogText.EscapeField(text);

        Assert.Equal($"{new string('a', LogText.MaxFieldLength - 1)}… ({text.Length} characters in all)", field);
    }

    [Fact]
    public void EscapeHead_WithinTheBound_IsEscapedAndMarkedAsTheHeadOfMore()
    {
        Assert.Equal("line\\u001b… (more than 5 characters in all)", LogText.EscapeHead("line\u001b"));
    }

    [Fact]
    public void EscapeHead_LongerThanTheBound_IsCutAtAWholeEscape()
    {
        var head = new string('\u001b', 8192);

        var field = LogText.EscapeHead(head);

        Assert.Equal($"{string.Concat(Enumerable.Repeat("\\u001b", LogText.MaxTextLength / 6))}… (more than 8192 characters in all)", field);
    }

    [Fact]
    public void EscapeText_KeepsWorkerTextUpToItsLargerBound_AndCutsPastIt()
    {
        var whole = new string('x', LogText.MaxTextLength);
        var over = whole + "y";

        Assert.Same(whole, LogText.EscapeText(whole));
        Assert.Equal($"{whole}… ({LogText.MaxTextLength + 1} characters in all)", LogText.EscapeText(over));
        Assert.StartsWith(new string('x', LogText.MaxFieldLength) + "…", LogText.EscapeField(whole), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("中", 3)]
    [InlineData("é", 2)]
    [InlineData("😀", 4)]
    public void EscapeField_OfCharactersOfSeveralBytes_IsBoundedInBytes_AtAWholeCharacter(string character, int bytes)
    {
        var text = string.Concat(Enumerable.Repeat(character, LogText.MaxFieldLength));

        var field = LogText.EscapeField(text);

        var kept = field[..field.IndexOf('…', StringComparison.Ordinal)];
        Assert.Equal(LogText.MaxFieldLength / bytes * bytes, System.Text.Encoding.UTF8.GetByteCount(kept));
        Assert.Equal(text[..kept.Length], kept);
    }
}
