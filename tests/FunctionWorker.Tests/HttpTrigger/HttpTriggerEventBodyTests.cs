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
    public void DecodeBody_Base64EncodedButNotBase64_ThrowsFormatException_AsConvertDoes(string body)
    {
        var @event = new HttpTriggerEvent { Body = body, IsBase64Encoded = true };

        Assert.Throws<FormatException>(() => Convert.FromBase64String(body));
        Assert.Throws<FormatException>(() => @event.DecodeBody());
    }
}
