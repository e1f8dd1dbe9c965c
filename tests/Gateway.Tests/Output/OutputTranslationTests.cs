using FcGateway.Dialects;

namespace Gateway.Tests.Output;

public sealed class OutputTranslationTests
{
    [Fact]
    public void Success_StatusAndBody_IsValid()
    {
        var translation = OutputTranslation.Success(201, new byte[] { 1, 2 });

        Assert.True(translation.IsValid);
        Assert.Null(translation.Error);
        Assert.Equal(201, translation.StatusCode);
        Assert.Equal([1, 2], translation.Body.ToArray());
    }

    [Fact]
    public void Invalid_Error_IsNotValid()
    {
        var translation = OutputTranslation.Invalid("bad");

        Assert.False(translation.IsValid);
        Assert.Equal("bad", translation.Error);
        Assert.True(translation.Body.IsEmpty);
    }
}
