using System.Text;
using FcGateway.Dialects.FcV1.Output;

namespace Gateway.Tests.Output;

/// <summary>
/// The in-place base64 decoder of bodies, at the lengths where its blocks change: the first block (4,096 characters,
/// through a buffer), the ones after it (each as long as the room behind it), and the last, padded or not.
/// </summary>
public sealed class OutputBase64Tests
{
    public static TheoryData<int> Lengths => [0, 1, 2, 3, 4, 5, 767, 768, 769, 3071, 3072, 3073, 3074, 4095, 4096, 4097, 5000, 65536, 100_003, 1 << 20, MaxOutputBase64Bytes];

    /// <summary>The most bytes whose base64 fits the 32 MiB output limit.</summary>
    private const int MaxOutputBase64Bytes = 32 * 1024 * 1024 / 4 * 3;

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

    /// <summary>
    /// Bits past the last byte set, with whitespace among the last characters and the padding: ignored, as Go's decoder
    /// and <see cref="Convert.FromBase64String"/> ignore both.
    /// </summary>
    [Theory]
    [InlineData("aGVsbG9=\n", "hello")]
    [InlineData("aGVsbG9\r\n=", "hello")]
    [InlineData("aGVsbG9 =", "hello")]
    [InlineData("YR= =\r\n", "a")]
    [InlineData("Y R\t==", "a")]
    public void TryDecodeInPlace_UnusedBitsSetAndWhitespaceAtTheEnd_IsTheBytes(string base64, string expected)
    {
        var text = Encoding.ASCII.GetBytes(base64);

        Assert.True(OutputBase64.TryDecodeInPlace(text, out var decoded));

        Assert.Equal(Encoding.ASCII.GetBytes(expected), text[..decoded]);
    }

    /// <summary>
    /// Random base64 of random length (some past a few blocks), some with the unused bits set, whitespace put anywhere,
    /// a character replaced or the end cut off: the bytes <see cref="Convert.FromBase64String"/> gives, or false with the
    /// text as it was where it refuses the text.
    /// </summary>
    [Fact]
    public void TryDecodeInPlace_AnyText_IsWhatConvertGives_OrFalseAndTheTextUnchanged()
    {
        var random = new Random(60);
        for (var round = 0; round < 20_000; round++)
        {
            var bytes = RandomBytes(round % 500 == 0 ? random.Next(4096, 40_000) : random.Next(40), seed: round);
            var base64 = new StringBuilder(Convert.ToBase64String(bytes));
            var padding = base64.ToString().IndexOf('=', StringComparison.Ordinal);
            if (padding > 0 && random.Next(2) == 0)
            {
                base64[padding - 1] = Alphabet[Alphabet.IndexOf(base64[padding - 1], StringComparison.Ordinal) | random.Next(1, 4)];
            }

            for (var spaces = random.Next(3) == 0 ? random.Next(1, 6) : 0; spaces > 0; spaces--)
            {
                base64.Insert(random.Next(base64.Length + 1), " \t\r\n"[random.Next(4)]);
            }

            if (base64.Length > 0 && random.Next(6) == 0)
            {
                base64[random.Next(base64.Length)] = "!=-_A"[random.Next(5)];
            }

            if (base64.Length > 0 && random.Next(6) == 0)
            {
                base64.Length -= random.Next(1, Math.Min(3, base64.Length) + 1);
            }

            var text = Encoding.ASCII.GetBytes(base64.ToString());
            var original = text.ToArray();
            var expected = ConvertDecodes(base64.ToString());

            Assert.Equal(expected is not null, OutputBase64.TryDecodeInPlace(text, out var decoded));
            Assert.Equal(expected ?? original, expected is null ? text : text[..decoded]);
        }
    }

    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private static byte[]? ConvertDecodes(string base64)
    {
        try
        {
            return Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
