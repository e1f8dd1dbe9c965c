using FcGateway.Edge.Triggers;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Tests.Triggers;

public sealed class JwtRejectionReasonTests
{
    public static TheoryData<Exception?, string> Reasons() => new()
    {
        { null, "no reason given" },
        { new SecurityTokenSignatureKeyNotFoundException("IDX10503:\nkid: 'x'\ntoken: 'eyJ…'"), "no key of the JWKS has its kid" },
        { new SecurityTokenInvalidSignatureException("IDX10511:\nKeys tried: 'n=…'"), "the signature does not verify" },
        { new SecurityTokenExpiredException("IDX10223"), "it has expired" },
        { new SecurityTokenMalformedException("IDX14100:\ntoken"), "it is not a well-formed JWT" },
        { new InvalidOperationException("line one\nline two"), "InvalidOperationException" },
    };

    [Theory]
    [MemberData(nameof(Reasons))]
    public void Describe_GivesAShortReason_NeverTheMessage(Exception? exception, string reason) =>
        Assert.Equal(reason, JwtRejectionReason.Describe(exception));
}
