using FcGateway.Http;

namespace Gateway.Tests.Http;

public sealed class FcHeadersTests
{
    [Theory]
    [InlineData("x-fc-")]
    [InlineData("x-fc-request-id")]
    [InlineData("X-Fc-Request-Id")]
    [InlineData("X-FC-STATUS")]
    [InlineData("x_fc_access_key_id")]
    [InlineData("X_FC-mixed")]
    [InlineData("x-fc_mixed")]
    public void IsFcHeader_XFcInAnyCaseAndSeparator_True(string name)
    {
        Assert.True(FcHeaders.IsFcHeader(name));
    }

    [Theory]
    [InlineData("")]
    [InlineData("x-fc")]
    [InlineData("X-Fc")]
    [InlineData("x-fcx-id")]
    [InlineData("xfc-id")]
    [InlineData("x.fc.id")]
    [InlineData("My-X-Fc-Header")]
    public void IsFcHeader_OtherName_False(string name)
    {
        Assert.False(FcHeaders.IsFcHeader(name));
    }
}
