using System.Text;
using FcGateway.Dialects.FcV1.Output;

namespace Gateway.Tests.Output;

/// <summary>
/// The in-place base64 decoder of bodies, at the lengths where its blocks change: the first block (4,096 characters,
/// through a buffer), the ones after it (each as long as the room behind it), and the last, padded or not.
/// </summary>
public sealed class OutputBase64Tests
{
    public static TheoryData<int> Lengths => [0, 1, 2, 3, 4, 5, 767, 768, 769, 3071, 3072, 3073, 3074, 4095, 4096, 4097, 5000, 65536, 100_003, 1 << 20];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void TryDecodeInPlace_Base64OfAnyLength_IsTheBytes(int length)
    {
        var bytes = RandomBytes(length, seed: length);
        var text = Encoding.ASCII.GetBytes(Convert.ToBase64String(bytes));

        Assert.True(OutputBase64.TryDecodeInPlace(text, out var decoded));

        Assert.Equal(bytes, text[..decoded]);
    }

    /// <summary>Line breaks, as MIME's base64 has them every 76 characters, are skipped, as .NET's decoders skip them.</summary>
    [Theory]
    [InlineData(100)]
    [InlineData(3072)]
    [InlineData(65536)]
    public void TryDecodeInPlace_Base64WithLineBreaks_IsTheBytes(int length)
    {
        var bytes = RandomBytes(length, seed: length);
        var text = Encoding.ASCII.GetBytes(Convert.ToBase64String(bytes, Base64FormattingOptions.InsertLineBreaks));

        Assert.True(OutputBase64.TryDecodeInPlace(text, out var decoded));

        Assert.Equal(bytes, text[..decoded]);
    }

    /// <summary>Whitespace so dense that a block of the length the room allows would hold no whole four characters.</summary>
    [Fact]
    public void TryDecodeInPlace_WhitespaceBetweenEveryCharacterPastTheFirstBlock_IsTheBytes()
    {
        var bytes = RandomBytes(6000, seed: 7);
        var base64 = Convert.ToBase64String(bytes);
        var spaced = new StringBuilder(base64[..4096]);
        foreach (var character in base64[4096..])
        {
            spaced.Append(character).Append(' ', 2000);
        }

        var text = Encoding.ASCII.GetBytes(spaced.ToString());

        Assert.True(OutputBase64.TryDecodeInPlace(text, out var decoded));

        Assert.Equal(bytes, text[..decoded]);
    }

    /// <summary>A character that is not base64 past the first block: false, and the text is left as it was.</summary>
    [Theory]
    [InlineData(10)]
    [InlineData(5000)]
    [InlineData(80_000)]
    public void TryDecodeInPlace_NotBase64Somewhere_FalseAndTheTextUnchanged(int position)
    {
        var text = Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomBytes(65536, seed: 3)));
        text[position] = (byte)'!';
        var original = text.ToArray();

        Assert.False(OutputBase64.TryDecodeInPlace(text, out _));

        Assert.Equal(original, text);
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
