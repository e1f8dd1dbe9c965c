namespace Gateway.Tests.Output;

/// <summary>The output object's <c>statusCode</c>, and the fields the FC rules do not read.</summary>
public sealed class WorkerOutputTranslatorTests
{
    [Theory]
    [InlineData(200)]
    [InlineData(201)]
    [InlineData(204)]
    [InlineData(302)]
    [InlineData(404)]
    [InlineData(500)]
    [InlineData(599)]
    public void Translate_StatusCodeInRange_IsResponseStatus(int statusCode)
    {
        var result = OutputTranslations.Of($$"""{"statusCode":{{statusCode}},"body":"ok"}""");

        Assert.True(result.Translation.IsValid);
        Assert.Null(result.Translation.Error);
        Assert.Equal(statusCode, result.Translation.StatusCode);
        Assert.Equal("ok", result.BodyText);
    }

    [Theory]
    [InlineData("99")]
    [InlineData("100")]
    [InlineData("101")]
    [InlineData("103")]
    [InlineData("199")]
    [InlineData("600")]
    [InlineData("0")]
    [InlineData("-200")]
    [InlineData("200.5")]
    [InlineData("2.5e2")]
    [InlineData("99999999999")]
    [InlineData("\"200\"")]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("{}")]
    [InlineData("{\"code\":200}")]
    [InlineData("[200]")]
    public void Translate_StatusCodeNotAnIntegerInRange_IsInvalidWithError(string statusCode)
    {
        var result = OutputTranslations.Of($$"""{"statusCode":{{statusCode}},"headers":{"X-A":"1"},"body":"ok"}""");

        Assert.False(result.Translation.IsValid);
        Assert.False(string.IsNullOrWhiteSpace(result.Translation.Error));
        Assert.Contains("statusCode", result.Translation.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_FcRulesAndCookies_CookiesIgnored()
    {
        var result = OutputTranslations.Of("""{"statusCode":200,"cookies":["a=1"],"body":"ok"}""");

        Assert.True(result.Translation.IsValid);
        Assert.False(result.Headers.ContainsKey("Set-Cookie"));
        Assert.Equal("ok", result.BodyText);
    }

    /// <summary>Found by <c>OutputTranslatorProperties</c>: such a name used to throw out of the translator.</summary>
    [Theory]
    [InlineData("""{"\udc00":1,"statusCode":201,"body":"ok"}""")]
    [InlineData("""{"statusCode":201,"\ud800x":{"a":[1]},"body":"ok"}""")]
    [InlineData("""{"statusCode":201,"body":"ok","\ud83d":"\ud800"}""")]
    public void Translate_FieldNameWithUnpairedSurrogate_IsAnOtherFieldAndSkipped(string output)
    {
        var result = OutputTranslations.Of(output);

        Assert.True(result.Translation.IsValid);
        Assert.Equal(201, result.Translation.StatusCode);
        Assert.Equal("ok", result.BodyText);
    }
}
