using System.Text.Json;
using System.Text;
using Microsoft.Extensions.Primitives;
using static Gateway.Tests.Events.EventRequests;

namespace Gateway.Tests.Events;

/// <summary>The event's strings escape only what JSON requires; other text stays literal UTF-8.</summary>
public sealed class HttpTriggerEventEscapingTests
{
    [Theory]
    [InlineData("say \"hi\"", "say \\\"hi\\\"")]
    [InlineData("back\\slash", "back\\\\slash")]
    [InlineData("line1\nline2", "line1\\nline2")]
    [InlineData("a\tb", "a\\tb")]
    [InlineData("a\rb", "a\\rb")]
    [InlineData("a\u0001b", "a\\u0001b")]
    [InlineData("a\u001fb", "a\\u001fb")]
    [InlineData("<script>&'</script>", "<script>&'</script>")]
    [InlineData("é 中 😀", "é 中 😀")]
    [InlineData("a\u007fb", "a\u007fb")]
    [InlineData("a\u2028b", "a\u2028b")]
    [InlineData("+/=`", "+/=`")]
    public void Write_TextBody_EscapesOnlyWhatJsonRequires(string body, string escaped)
    {
        var text = WriteText(Create(headers: TextHeaders(), body: Encoding.UTF8.GetBytes(body)));
        using var document = JsonDocument.Parse(text);

        Assert.Contains($"\"body\":\"{escaped}\",", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0022", text, StringComparison.Ordinal);
        Assert.Equal(body, document.RootElement.GetProperty("body").GetString());
    }

    [Theory]
    [InlineData("say \"hi\"", "say \\\"hi\\\"")]
    [InlineData("é 中 😀", "é 中 😀")]
    [InlineData("<>&'", "<>&'")]
    [InlineData("a\u0001b", "a\\u0001b")]
    public void Write_HeaderAndQueryValues_EscapeOnlyWhatJsonRequires(string value, string escaped)
    {
        var query = new Dictionary<string, StringValues> { ["q"] = value };

        var text = WriteText(Create(headers: Headers(("x-value", value)), query: query));
        using var document = JsonDocument.Parse(text);

        Assert.Contains($"\"X-Value\":\"{escaped}\"", text, StringComparison.Ordinal);
        Assert.Contains($"\"q\":\"{escaped}\"", text, StringComparison.Ordinal);
        Assert.Equal(value, document.RootElement.GetProperty("headers").GetProperty("X-Value").GetString());
        Assert.Equal(value, document.RootElement.GetProperty("queryParameters").GetProperty("q").GetString());
    }

    [Fact]
    public void Write_NonAsciiText_StaysLiteralUtf8()
    {
        var bytes = WriteBytes(Create(headers: TextHeaders(), body: "é中😀"u8.ToArray()));

        Assert.NotEqual(-1, bytes.AsSpan().IndexOf("\"body\":\"é中😀\""u8));
        Assert.Equal(-1, bytes.AsSpan().IndexOf("\\u"u8));
    }
}
