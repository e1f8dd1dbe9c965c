using System.Text;
using FcWorker.HttpTrigger;

namespace FcWorker.Tests.HttpTrigger;

/// <summary><see cref="HttpTriggerEvent.DecodeBody"/>: the bytes <see cref="Convert.FromBase64String"/> and UTF-8 give.</summary>
public sealed class HttpTriggerEventBodyTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(100)]
    [InlineData(65536)]
    [InlineData(1 << 20)]
    public void DecodeBody_Base64_IsTheBytes(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);

        var @event = new HttpTriggerEvent { Body = Convert.ToBase64String(bytes), IsBase64Encoded = true };

        Assert.Equal(bytes, @event.DecodeBody());
    }

    [Fact]
    public void DecodeBody_Base64WithLineBreaks_IsTheBytes_AsConvertGivesThem()
    {
        var bytes = new byte[5000];
        new Random(5).NextBytes(bytes);
        var text = Convert.ToBase64String(bytes, Base64FormattingOptions.InsertLineBreaks);

        Assert.Equal(Convert.FromBase64String(text), new HttpTriggerEvent { Body = text, IsBase64Encoded = true }.DecodeBody());
    }

    /// <summary>
    /// Whitespace among the last characters and the padding, which the decoder given a destination of the decoded length
    /// stops short at (DestinationTooSmall): the bytes are still the whole body, as <see cref="Convert"/> gives them.
    /// </summary>
    [Theory]
    [InlineData("YQ= =")]
    [InlineData("Y Q==")]
    [InlineData("YWI =")]
    [InlineData("YWJj\nYQ==\r\n")]
    [InlineData("aGVs bG8=")]
    [InlineData("\taGVsbG8\r=")]
    [InlineData("W\t Rg  =")]
    [InlineData("A\rP8= \r ")]
    [InlineData("K62j\r6\nw=\r =")]
    public void DecodeBody_Base64WithWhitespaceNearThePadding_IsTheBytesConvertGives(string body)
    {
        var @event = new HttpTriggerEvent { Body = body, IsBase64Encoded = true };

        Assert.Equal(Convert.FromBase64String(body), @event.DecodeBody());
    }

    /// <summary>Whitespace anywhere, padding or not, at every length to a few blocks of the vector decoder.</summary>
    [Fact]
    public void DecodeBody_Base64WithWhitespaceAnywhere_IsTheBytesConvertGives()
    {
        var random = new Random(11);
        for (var length = 0; length < 200; length++)
        {
            var bytes = new byte[length];
            random.NextBytes(bytes);
            var text = new StringBuilder(Convert.ToBase64String(bytes));
            for (var spaces = random.Next(1, 9); spaces > 0; spaces--)
            {
                text.Insert(random.Next(text.Length + 1), " \t\r\n"[random.Next(4)]);
            }

            var body = text.ToString();

            Assert.Equal(bytes, new HttpTriggerEvent { Body = body, IsBase64Encoded = true }.DecodeBody());
        }
    }

    /// <summary>
    /// Bits past the last byte that are not zero, which an encoder other than .NET's may leave: ignored, as
    /// <see cref="Convert.FromBase64String"/> (which <c>DecodeBody</c> stands in for) and Go's decoder ignore them.
    /// </summary>
    [Theory]
    [InlineData("aGVsbG9=", "hello")]
    [InlineData("YR==", "a")]
    [InlineData("YWJj YR= =", "abca")]
    public void DecodeBody_Base64WithUnusedBitsSet_IsTheBytes_AsConvertGivesThem(string body, string expected)
    {
        var @event = new HttpTriggerEvent { Body = body, IsBase64Encoded = true };

        Assert.Equal(Encoding.ASCII.GetBytes(expected), Convert.FromBase64String(body));
        Assert.Equal(Encoding.ASCII.GetBytes(expected), @event.DecodeBody());
    }

    [Theory]
    [InlineData("héllo, 世界", null)]
    [InlineData("SGVsbG8=", false)]
    public void DecodeBody_NotBase64Encoded_IsTheTextsUtf8(string body, bool? isBase64Encoded)
    {
        var @event = new HttpTriggerEvent { Body = body, IsBase64Encoded = isBase64Encoded };

        Assert.Equal(Encoding.UTF8.GetBytes(body), @event.DecodeBody());
    }

    [Fact]
    public void DecodeBody_NoBody_IsEmpty()
    {
        Assert.Empty(new HttpTriggerEvent().DecodeBody());
        Assert.Empty(new HttpTriggerEvent { IsBase64Encoded = true }.DecodeBody());
    }

    [Theory]
    [InlineData("SGVsbG8")]
    [InlineData("SGVs!G8=")]
    [InlineData("SGVsbG8é")]
    [InlineData("SGVsbG8=SGVsbG8=")]
    [InlineData("SGVsbG8\uD800")]
    [InlineData("SGVsbG\uD83D\uDE00=")]
    [InlineData("SGVsbG8\u00A0")]
    [InlineData("SGVsbG8\f")]
    public void DecodeBody_Base64EncodedButNotBase64_ThrowsFormatException_AsConvertDoes(string body)
    {
        var @event = new HttpTriggerEvent { Body = body, IsBase64Encoded = true };

        Assert.Throws<FormatException>(() => Convert.FromBase64String(body));
        Assert.Throws<FormatException>(() => @event.DecodeBody());
    }
}
