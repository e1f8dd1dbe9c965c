namespace Gateway.Tests.Output;

/// <summary>The output's headers together over the response header limit make the output invalid.</summary>
public sealed class WorkerOutputHeaderLimitTests
{
    [Theory]
    [InlineData(100, 90, true)]
    [InlineData(100, 200, false)]
    [InlineData(8192, 8000, true)]
    [InlineData(8192, 9000, false)]
    public void Translate_HeadersSize_OverLimitIsInvalid(int maxHeaderBytes, int valueLength, bool valid)
    {
        var result = OutputTranslations.Of($$"""{"statusCode":200,"headers":{"X-Big":"{{new string('v', valueLength)}}"},"body":"ok"}""", maxHeaderBytes);

        Assert.Equal(valid, result.Translation.IsValid);
        if (!valid)
        {
            Assert.Contains(maxHeaderBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), result.Translation.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Translate_ManyHeadersTogetherOverLimit_IsInvalid()
    {
        var headers = string.Join(",", Enumerable.Range(0, 100).Select(i => $"\"X-H{i}\":\"{new string('v', 100)}\""));

        var result = OutputTranslations.Of($$$"""{"statusCode":200,"headers":{{{{headers}}}}}""", 8192);

        Assert.False(result.Translation.IsValid);
        Assert.NotNull(result.Translation.Error);
    }

    [Fact]
    public void Translate_ArrayHeaderValuesTogetherOverLimit_IsInvalid()
    {
        var cookies = string.Join(",", Enumerable.Range(0, 10).Select(i => $"\"c{i}={new string('v', 1000)}\""));

        var result = OutputTranslations.Of($$$"""{"statusCode":200,"headers":{"Set-Cookie":[{{{cookies}}}]}}""", 8192);

        Assert.False(result.Translation.IsValid);
    }
}
