using System.Text.Json;
using System.Text;
using FcGateway.Dialects.FcV1.Events;

namespace Gateway.Tests.Events;

public sealed class MinimalJsonEncoderTests
{
    [Theory]
    [InlineData('"')]
    [InlineData('\\')]
    [InlineData('\n')]
    [InlineData('\r')]
    [InlineData('\t')]
    [InlineData('\0')]
    [InlineData('\u001f')]
    public void WillEncode_CharacterJsonRequiresEscaped_True(char c)
    {
        Assert.True(MinimalJsonEncoder.Instance.WillEncode(c));
    }

    [Theory]
    [InlineData(' ')]
    [InlineData('a')]
    [InlineData('<')]
    [InlineData('>')]
    [InlineData('&')]
    [InlineData('\'')]
    [InlineData('+')]
    [InlineData('`')]
    [InlineData('/')]
    [InlineData('\u007f')]
    [InlineData('é')]
    [InlineData('中')]
    [InlineData('\u2028')]
    public void WillEncode_OtherCharacter_False(char c)
    {
        Assert.False(MinimalJsonEncoder.Instance.WillEncode(c));
    }

    [Fact]
    public void WillEncode_NonBmpScalar_False()
    {
        Assert.False(MinimalJsonEncoder.Instance.WillEncode(0x1F600));
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("say \"hi\"", "say \\\"hi\\\"")]
    [InlineData("a\\b", "a\\\\b")]
    [InlineData("\n\r\t\b\f", "\\n\\r\\t\\b\\f")]
    [InlineData("\u0000\u0001\u001f", "\\u0000\\u0001\\u001f")]
    [InlineData("<>&'", "<>&'")]
    [InlineData("é中😀", "é中😀")]
    public void Encode_Text_EscapesOnlyWhatJsonRequires(string text, string encoded)
    {
        Assert.Equal(encoded, MinimalJsonEncoder.Instance.Encode(text));
    }

    [Theory]
    [InlineData("plain", -1)]
    [InlineData("é中😀<>&", -1)]
    [InlineData("ab\"", 2)]
    [InlineData("é\n", 2)]
    [InlineData("\\", 0)]
    public void FindFirstCharacterToEncodeUtf8_Text_FindsFirstByteToEscape(string text, int index)
    {
        Assert.Equal(index, MinimalJsonEncoder.Instance.FindFirstCharacterToEncodeUtf8(Encoding.UTF8.GetBytes(text)));
    }

    [Theory]
    [InlineData("say \"hi\"\n", "\"say \\\"hi\\\"\\n\"")]
    [InlineData("é中😀 <>&'", "\"é中😀 <>&'\"")]
    [InlineData("\u0001", "\"\\u0001\"")]
    public void Utf8JsonWriter_WithEncoder_WritesMinimalValidJson(string value, string json)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = MinimalJsonEncoder.Instance }))
        {
            writer.WriteStringValue(value);
        }

        var text = Encoding.UTF8.GetString(stream.ToArray());

        Assert.Equal(json, text);
        Assert.Equal(value, JsonSerializer.Deserialize<string>(text));
    }
}
