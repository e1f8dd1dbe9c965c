using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using FcGateway.Dialects.FcV1.Output;

namespace Gateway.Tests.Output;

public sealed class JsonStringUnescaperTests
{
    private static readonly string[] Pieces =
    [
        "a", "Z", "0", " ", "\"", "\\", "/", "\b", "\f", "\n", "\r", "\t", "\0", "\u001f", "\u007f", "é", "ß", "\u0800", "中", "\uffff", "\U0001F600", "\U0010FFFF",
    ];

    private static readonly JsonSerializerOptions[] EncoderOptions =
    [
        new() { Encoder = JavaScriptEncoder.Default },
        new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping },
    ];

    /// <summary>Whatever System.Text.Json escapes (every escape form, with each encoder), unescapes to the text's UTF-8.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void UnescapeInPlace_EscapedText_IsTheTextsUtf8(int seed)
    {
        var random = new Random(seed);
        foreach (var options in EncoderOptions)
        {
            for (var i = 0; i < 200; i++)
            {
                var text = string.Concat(Enumerable.Range(0, random.Next(0, 12)).Select(_ => Pieces[random.Next(Pieces.Length)]));
                var json = JsonSerializer.SerializeToUtf8Bytes(text, options);
                var escaped = json.AsSpan(1, json.Length - 2).ToArray();

                var length = JsonStringUnescaper.UnescapeInPlace(escaped);

                Assert.Equal(Encoding.UTF8.GetBytes(text), escaped.AsSpan(0, length).ToArray());
            }
        }
    }

    [Theory]
    [InlineData(@"\ud800", "\uFFFD")]
    [InlineData(@"\udfff\ud800", "\uFFFD\uFFFD")]
    [InlineData(@"x\ud83d\u005c", "x\uFFFD\\")]
    [InlineData(@"\ud83d\ud83d\ude00!", "\uFFFD\U0001F600!")]
    [InlineData(@"\ud83d\n", "\uFFFD\n")]
    public void UnescapeInPlace_UnpairedSurrogateEscape_IsTheReplacementCharacter(string escaped, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(escaped);

        var length = JsonStringUnescaper.UnescapeInPlace(bytes);

        Assert.Equal(text, Encoding.UTF8.GetString(bytes, 0, length));
    }
}
