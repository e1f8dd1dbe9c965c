using FcGateway.Dialects.FcV1.Output;

namespace Gateway.Tests.Output;

public sealed class ResponseHeaderRulesTests
{
    [Theory]
    [InlineData("connection")]
    [InlineData("content-length")]
    [InlineData("date")]
    [InlineData("keep-alive")]
    [InlineData("server")]
    [InlineData("content-disposition")]
    [InlineData("upgrade")]
    [InlineData("transfer-encoding")]
    [InlineData("te")]
    [InlineData("Proxy-Connection")]
    [InlineData("HTTP2-Settings")]
    [InlineData("TE")]
    [InlineData("CONNECTION")]
    [InlineData("Content-Length")]
    [InlineData("Date")]
    [InlineData("Keep-Alive")]
    [InlineData("SERVER")]
    [InlineData("Content-Disposition")]
    [InlineData("Upgrade")]
    [InlineData("Transfer-Encoding")]
    [InlineData("x-fc-request-id")]
    [InlineData("X-Fc-Request-Id")]
    [InlineData("X-FC-STATUS")]
    [InlineData("x-fc-")]
    public void IsReserved_ReservedOrXFcName_True(string name)
    {
        Assert.True(ResponseHeaderRules.IsReserved(name));
    }

    [Theory]
    [InlineData("Content-Type")]
    [InlineData("Set-Cookie")]
    [InlineData("X-Fc")]
    [InlineData("x-fcx-id")]
    [InlineData("My-X-Fc-Header")]
    [InlineData("Dates")]
    [InlineData("Server-Timing")]
    [InlineData("Connection2")]
    public void IsReserved_OtherName_False(string name)
    {
        Assert.False(ResponseHeaderRules.IsReserved(name));
    }
}
