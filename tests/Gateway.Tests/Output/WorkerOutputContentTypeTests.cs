namespace Gateway.Tests.Output;

/// <summary>The output's <c>Content-Type</c>: kept in any case, the last of several, <c>application/json</c> when none is given.</summary>
public sealed class WorkerOutputContentTypeTests
{
    [Theory]
    [InlineData("""{"statusCode":200,"headers":{"content-type":"text/plain","Content-Type":"text/html"},"body":"ok"}""", "text/html")]
    [InlineData("""{"statusCode":200,"headers":{"Content-Type":["text/plain","text/csv"]},"body":"ok"}""", "text/csv")]
    [InlineData("""{"statusCode":200,"headers":{"X-A":"1","CONTENT-TYPE":"text/plain"},"body":"ok"}""", "text/plain")]
    public void Translate_ContentTypeGivenTwice_IsOneHeader_TheLast(string output, string contentType)
    {
        var result = OutputTranslations.Of(output);

        Assert.True(result.Translation.IsValid);
        Assert.Equal([contentType], result.Values("Content-Type"));
    }

    [Theory]
    [InlineData("""{"statusCode":200}""")]
    [InlineData("""{"statusCode":200,"headers":{}}""")]
    [InlineData("""{"statusCode":200,"headers":{"X-A":"1"}}""")]
    [InlineData("""{"statusCode":200,"headers":null}""")]
    [InlineData("""{"statusCode":200,"headers":{"Content-Type":null}}""")]
    [InlineData("""{"statusCode":200,"headers":{"Content-Type":"text/plain\r\n"}}""")]
    [InlineData("""{"statusCode":200,"headers":{"Content-Type":""}}""")]
    [InlineData("""{"statusCode":200,"headers":{"content-type":"text/plain","Content-Type":""}}""")]
    public void Translate_NoContentType_DefaultsToApplicationJson(string output)
    {
        var result = OutputTranslations.Of(output);

        Assert.True(result.Translation.IsValid);
        Assert.Equal("application/json", result.Headers.ContentType.ToString());
        Assert.Single(result.Headers.ContentType);
    }

    [Theory]
    [InlineData("Content-Type")]
    [InlineData("content-type")]
    [InlineData("CONTENT-TYPE")]
    [InlineData("Content-type")]
    public void Translate_ContentTypeGiven_KeptInAnyCase(string name)
    {
        var result = OutputTranslations.Of($$"""{"statusCode":200,"headers":{"{{name}}":"text/html; charset=utf-8"},"body":"<p>hi</p>"}""");

        Assert.True(result.Translation.IsValid);
        Assert.Equal(["text/html; charset=utf-8"], result.Values("Content-Type"));
        Assert.Equal("<p>hi</p>", result.BodyText);
    }
}
