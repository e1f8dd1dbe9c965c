using System.Text.Json;
using System.Text;
using FcGateway.Dialects.FcV1.Output;

namespace Gateway.Tests.Output;

public sealed class HeaderValueReaderTests
{
    [Theory]
    [InlineData("\"text\"", "text")]
    [InlineData("\"\"", "")]
    [InlineData("\"a\\\"b\\u00e9\"", "a\"bé")]
    [InlineData("42", "42")]
    [InlineData("-0.5e-3", "-0.5e-3")]
    [InlineData("true", "true")]
    [InlineData("false", "false")]
    [InlineData("[\"a=1\",\"b=2\"]", "a=1|b=2")]
    [InlineData("[1,false,\"x\"]", "1|false|x")]
    [InlineData("[\"a\",null,\"b\"]", "a|b")]
    public void TryRead_ScalarOrArray_ReadsEveryValueAsText(string json, string expected)
    {
        var (valid, values, next) = Read(json);

        Assert.True(valid);
        Assert.Equal(expected.Split('|'), values);
        Assert.Equal(JsonTokenType.EndObject, next);
    }

    /// <summary>
    /// Whitespace around a value is not part of it (RFC 9110 §5.5), and makes an HTTP/2 field malformed (RFC 9113
    /// §8.2.1): Node's client dropped such a header.
    /// </summary>
    [Theory]
    [InlineData("\"  spaced\\t\"", "spaced")]
    [InlineData("[\" a=1 \",\"\\tb=2\"]", "a=1|b=2")]
    [InlineData("\"a b\"", "a b")]
    public void TryRead_WhitespaceAroundAValue_IsTrimmed(string json, string expected)
    {
        var (valid, values, _) = Read(json);

        Assert.True(valid);
        Assert.Equal(expected.Split('|'), values);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("[null]")]
    public void TryRead_NullOrEmpty_ValidWithNoValue(string json)
    {
        var (valid, values, next) = Read(json);

        Assert.True(valid);
        Assert.Empty(values);
        Assert.Equal(JsonTokenType.EndObject, next);
    }

    [Theory]
    [InlineData("{\"a\":1}")]
    [InlineData("{}")]
    [InlineData("[\"a\",{\"b\":[1]}]")]
    [InlineData("[[\"a\"],\"b\"]")]
    [InlineData("\"\\ud800\"")]
    [InlineData("[\"a\",\"\\udc00\"]")]
    public void TryRead_ObjectNestedArrayOrUnpairedSurrogate_InvalidAndValueSkipped(string json)
    {
        var (valid, values, next) = Read(json);

        Assert.False(valid);
        Assert.Empty(values);
        Assert.Equal(JsonTokenType.EndObject, next);
    }

    [Theory]
    [InlineData("\"X-Name\"", true, "X-Name")]
    [InlineData("\"X\\u002dName\"", true, "X-Name")]
    [InlineData("\"\\ud800\"", false, null)]
    public void TryGetString_String_ReadsTextUnlessUnpairedSurrogate(string json, bool valid, string? text)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        reader.Read();

        Assert.Equal(valid, HeaderValueReader.TryGetString(ref reader, out var read));
        Assert.Equal(text, read);
    }

    /// <summary>Reads the value of <c>{"h": json}</c> and reports the token the reader is at afterwards.</summary>
    private static (bool Valid, string[] Values, JsonTokenType Next) Read(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes($$"""{"h":{{json}}}"""));
        reader.Read();
        reader.Read();
        reader.Read();
        var valid = HeaderValueReader.TryRead(ref reader, out var values);
        reader.Read();
        return (valid, [.. values.Select(value => value ?? "")], reader.TokenType);
    }
}
