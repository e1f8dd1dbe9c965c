using System.Text;
using FcGateway.Dialects.FcV1.Output;

namespace Gateway.Tests.Output;

public sealed class OutputFieldsTests
{
    [Fact]
    public void TryLocate_ResponseObject_LocatesEveryField()
    {
        const string Output = """{"headers":{"A":"1"},"body":"x\ny","statusCode":201,"isBase64Encoded":true}""";

        Assert.True(OutputFields.TryLocate(Encoding.UTF8.GetBytes(Output), out var fields));

        Assert.Equal(201, fields.StatusCode);
        Assert.Null(fields.StatusCodeError);
        Assert.True(fields.HasHeaders);
        Assert.Equal(Output.IndexOf("{\"A\"", StringComparison.Ordinal), fields.HeadersStart);
        Assert.True(fields.HasBody);
        Assert.True(fields.BodyIsString);
        Assert.True(fields.BodyIsEscaped);
        Assert.Equal("x\\ny", Output.Substring(fields.BodyStart, fields.BodyLength));
        Assert.True(fields.IsBase64Encoded);
    }

    [Theory]
    [InlineData("""{"statusCode":200,"cookies":["a=1","b=2"]}""", true, "[\"a=1\"")]
    [InlineData("""{"cookies":"a=1","statusCode":200}""", true, "\"a=1\"")]
    [InlineData("""{"statusCode":200,"cookies":null}""", false, null)]
    [InlineData("""{"statusCode":200}""", false, null)]
    public void TryLocate_Cookies_LocatedWhenNotNull(string output, bool hasCookies, string? startsWith)
    {
        Assert.True(OutputFields.TryLocate(Encoding.UTF8.GetBytes(output), out var fields));

        Assert.Equal(hasCookies, fields.HasCookies);
        if (startsWith is not null)
        {
            Assert.StartsWith(startsWith, output[fields.CookiesStart..], StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("""{"statusCode":200,"body":{"a":[1,2]}}""", """{"a":[1,2]}""")]
    [InlineData("""{"statusCode":200,"body":[ 1 , 2 ] }""", "[ 1 , 2 ]")]
    [InlineData("""{"statusCode":200,"body":12.5}""", "12.5")]
    [InlineData("""{"statusCode":200,"body":false}""", "false")]
    [InlineData("""{"statusCode":200,"body":"plain"}""", "plain")]
    public void TryLocate_Body_LocatesItsText(string output, string bodyText)
    {
        Assert.True(OutputFields.TryLocate(Encoding.UTF8.GetBytes(output), out var fields));

        Assert.True(fields.HasBody);
        Assert.Equal(bodyText, output.Substring(fields.BodyStart, fields.BodyLength));
    }

    [Theory]
    [InlineData("""{"statusCode":200,"body":null}""")]
    [InlineData("""{"statusCode":200}""")]
    public void TryLocate_BodyNullOrMissing_HasNoBody(string output)
    {
        Assert.True(OutputFields.TryLocate(Encoding.UTF8.GetBytes(output), out var fields));

        Assert.False(fields.HasBody);
    }

    [Theory]
    [InlineData("""{"statusCode":"200"}""", "must be a JSON number")]
    [InlineData("""{"statusCode":200,"statusCode":null}""", "must be a JSON number")]
    [InlineData("""{"statusCode":true}""", "must be a JSON number")]
    [InlineData("""{"statusCode":200.5}""", "without a fraction or exponent")]
    [InlineData("""{"statusCode":2e2}""", "without a fraction or exponent")]
    [InlineData("""{"statusCode":600}""", "from 200 to 599, the final HTTP statuses")]
    [InlineData("""{"statusCode":700}""", "from 200 to 599, the final HTTP statuses")]
    [InlineData("""{"statusCode":99}""", "from 200 to 599, the final HTTP statuses")]
    [InlineData("""{"statusCode":-200}""", "from 200 to 599, the final HTTP statuses")]
    [InlineData("""{"statusCode":99999999999}""", "from 200 to 599, the final HTTP statuses")]
    [InlineData("""{"statusCode":100}""", "not an interim 1xx")]
    [InlineData("""{"statusCode":199}""", "not an interim 1xx")]
    public void TryLocate_BadStatusCode_LocatedWithTheReasonThatApplies(string output, string reason)
    {
        Assert.True(OutputFields.TryLocate(Encoding.UTF8.GetBytes(output), out var fields));

        Assert.Contains(reason, fields.StatusCodeError, StringComparison.Ordinal);
        Assert.Equal(reason.Contains("interim", StringComparison.Ordinal), fields.StatusCodeError!.Contains("interim", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"body":"x"}""")]
    [InlineData("""{"statusCode":200""")]
    [InlineData("""{"statusCode":200} x""")]
    [InlineData("""[{"statusCode":200}]""")]
    [InlineData("Hello")]
    [InlineData("")]
    public void TryLocate_NotAnObjectWithStatusCode_False(string output)
    {
        Assert.False(OutputFields.TryLocate(Encoding.UTF8.GetBytes(output), out _));
    }

    [Fact]
    public void TryLocate_InvalidUtf8InString_False()
    {
        byte[] output = [.. """{"statusCode":200,"body":" """u8, 0xFF, .. "\"}"u8];

        Assert.False(OutputFields.TryLocate(output, out _));
    }

    [Fact]
    public void TryLocate_EscapedFieldNames_Recognised()
    {
        Assert.True(OutputFields.TryLocate("""{"status\u0043ode":202,"b\u006fdy":"x"}"""u8, out var fields));

        Assert.Equal(202, fields.StatusCode);
        Assert.True(fields.HasBody);
    }
}
