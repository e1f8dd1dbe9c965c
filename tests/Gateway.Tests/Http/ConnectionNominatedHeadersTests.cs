using FcGateway.Http;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Http;

public sealed class ConnectionNominatedHeadersTests
{
    [Fact]
    public void RemoveNamed_RemovesEveryNamedField_InAnyCase_AcrossValues_AndKeepsTheRest()
    {
        var headers = new HeaderDictionary
        {
            ["Connection"] = new(["keep-alive ,\tX-Hop-A", ", x-HOP-b,,"]),
            ["Keep-Alive"] = "timeout=5",
            ["X-Hop-A"] = "a",
            ["X-Hop-B"] = "b",
            ["X-End"] = "kept",
        };

        ConnectionNominatedHeaders.RemoveNamed(headers);

        Assert.False(headers.ContainsKey("Keep-Alive"));
        Assert.False(headers.ContainsKey("X-Hop-A"));
        Assert.False(headers.ContainsKey("X-Hop-B"));
        Assert.Equal("kept", headers["X-End"]);
    }

    [Theory]
    [InlineData("Host")]
    [InlineData("content-length")]
    [InlineData("Transfer-Encoding")]
    [InlineData("Upgrade")]
    [InlineData("x-forwarded-for")]
    [InlineData("X-Real-IP")]
    [InlineData("Forwarded")]
    [InlineData("X-Forwarded-Proto")]
    public void RemoveNamed_NeverRemovesFramingUpgradeOrForwardingHeaders(string name)
    {
        var headers = new HeaderDictionary { ["Connection"] = $"close, {name}", [name] = "value" };

        ConnectionNominatedHeaders.RemoveNamed(headers);

        Assert.Equal("value", headers[name]);
    }

    [Fact]
    public void RemoveNamed_WithoutConnectionHeader_LeavesHeadersAlone()
    {
        var headers = new HeaderDictionary { ["close"] = "x", ["X-End"] = "kept" };

        ConnectionNominatedHeaders.RemoveNamed(headers);

        Assert.Equal(2, headers.Count);
    }

    [Fact]
    public void RemoveNamed_AResponsesConnectionValue_RemovesWhatItNames()
    {
        var headers = new HeaderDictionary { ["X-Internal"] = "secret", ["X-End"] = "kept" };

        ConnectionNominatedHeaders.RemoveNamed(headers, " X-Internal , content-length");

        Assert.False(headers.ContainsKey("X-Internal"));
        Assert.Equal("kept", headers["X-End"]);
    }
}
