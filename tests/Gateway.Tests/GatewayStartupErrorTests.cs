using FcGateway;
using Microsoft.AspNetCore.Connections;

namespace Gateway.Tests;

public sealed class GatewayStartupErrorTests
{
    [Fact]
    public void AnAddressInUse_IsOneLine_NamingBothPlacesAnAddressIsSet()
    {
        var taken = new IOException("Failed to bind to address http://127.0.0.1:8080: address already in use.", new AddressInUseException("in use"));

        var line = GatewayStartupError.Describe(taken);

        Assert.NotNull(line);
        Assert.StartsWith("Failed to bind to address http://127.0.0.1:8080: address already in use.", line, StringComparison.Ordinal);
        Assert.Contains("--urls", line, StringComparison.Ordinal);
        Assert.Contains("Kestrel:Endpoints", line, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line);
    }
}
