using System.Security.Cryptography;
using System.Text;
using FcGateway.Edge.Signatures;

namespace Gateway.Tests.Signatures;

public sealed class SignedBodyStreamTests
{
    private static readonly byte[] Signed = Encoding.UTF8.GetBytes("""{"hello":"signed"}""");
    private static readonly byte[] Forged = Encoding.UTF8.GetBytes("""{"hello":"forged"}""");

    [Fact]
    public async Task ABodyOfDeclaredLength_IsJudgedWithItsLastBytes_BeforeTheyAreHandedOn()
    {
        // A web function's worker frames the body by its Content-Length: handed the last bytes of a forged body, it has a
        // complete request, whatever the read after them (the end) throws.
        using var stream = Over(Forged, declaredLength: Forged.Length);
        var buffer = new byte[Forged.Length - 1];

        Assert.Equal(buffer.Length, await stream.ReadAsync(buffer));
        await Assert.ThrowsAsync<SignedBodyMismatchException>(() => stream.ReadAsync(buffer).AsTask());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TheSignedBody_IsReadWhole_WithOrWithoutADeclaredLength(bool declared)
    {
        using var stream = Over(Signed, declared ? Signed.Length : null);
        using var copy = new MemoryStream();

        await stream.CopyToAsync(copy, bufferSize: 5);

        Assert.Equal(Signed, copy.ToArray());
    }

    [Fact]
    public async Task ABodyOfUnknownLength_IsJudgedAtItsEnd()
    {
        using var stream = Over(Forged, declaredLength: null);
        var buffer = new byte[Forged.Length];

        Assert.Equal(Forged.Length, await stream.ReadAsync(buffer));
        Assert.Equal(0, await stream.ReadAsync(Memory<byte>.Empty));
        await Assert.ThrowsAsync<SignedBodyMismatchException>(() => stream.ReadAsync(buffer).AsTask());
    }

    private static SignedBodyStream Over(byte[] body, long? declaredLength) =>
        new(new MemoryStream(body), new AcsSignatureV3.Signed("LTAI5tExampleKeyId", Convert.ToHexStringLower(SHA256.HashData(Signed)), Nonce: null, DateTimeOffset.MaxValue), declaredLength);
}
