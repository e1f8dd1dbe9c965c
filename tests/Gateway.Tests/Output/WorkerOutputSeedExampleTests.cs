namespace Gateway.Tests.Output;

/// <summary>The seed's example outputs, translated as the seed shows them answered.</summary>
public sealed class WorkerOutputSeedExampleTests
{
    [Fact]
    public void Translate_SeedStringResponse_Is200ApplicationJsonAndText()
    {
        var result = OutputTranslations.Of("Hello World!");

        Assert.Equal(200, result.Translation.StatusCode);
        Assert.Equal("application/json", result.Headers.ContentType.ToString());
        Assert.Equal("Hello World!", result.BodyText);
        Assert.Equal(12, result.Body.Length);
    }

    [Fact]
    public void Translate_SeedJsonResponse_Is200ApplicationJsonAndOutputAsIs()
    {
        var result = OutputTranslations.Of("""{"message": "Hello World!"}""");

        Assert.Equal(200, result.Translation.StatusCode);
        Assert.Equal("application/json", result.Headers.ContentType.ToString());
        Assert.Equal("""{"message": "Hello World!"}""", result.BodyText);
        Assert.Equal(27, result.Body.Length);
    }

    /// <remarks>
    /// The seed shows the client receiving <c>{"message": "Hello world!"}</c>, which is not the body the
    /// function returned (a comma and a space differ); the contract sends a non-string body as its JSON text.
    /// </remarks>
    [Fact]
    public void Translate_SeedCustomResponse_Is201WithCustomHeaderAndJsonTextBody()
    {
        var result = OutputTranslations.Of("""{"statusCode":201,"headers":{"Content-Type":"application/json","My-Custom-Header":"Custom Value"},"body":{"message":"Hello, world!"},"isBase64Encoded":false}""");

        Assert.True(result.Translation.IsValid);
        Assert.Equal(201, result.Translation.StatusCode);
        Assert.Equal(["Content-Type", "My-Custom-Header"], result.Headers.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("application/json", result.Headers.ContentType.ToString());
        Assert.Equal("Custom Value", result.Headers["My-Custom-Header"].ToString());
        Assert.Equal("""{"message":"Hello, world!"}""", result.BodyText);
        Assert.Empty(result.Dropped);
    }

    [Fact]
    public void Translate_SeedResponseStruct_MapsEveryField()
    {
        var result = OutputTranslations.Of("""
            {
            "statusCode": 200,
            "headers": {
            "Content-Type": "application/json",
            "Custom-Header-1": "Custom Value"
            },
            "isBase64Encoded": false,
            "body": "{\"message\":\"Hello FC!\"}"
            }
            """);

        Assert.Equal(200, result.Translation.StatusCode);
        Assert.Equal("application/json", result.Headers.ContentType.ToString());
        Assert.Equal("Custom Value", result.Headers["Custom-Header-1"].ToString());
        Assert.Equal("""{"message":"Hello FC!"}""", result.BodyText);
    }
}
