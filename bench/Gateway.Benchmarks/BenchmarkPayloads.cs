using System.Text;

namespace FcGateway.Benchmarks;

/// <summary>Deterministic request bodies and worker outputs of a given size.</summary>
internal static class BenchmarkPayloads
{
    private const string JsonRecord = """{"id":12345,"name":"benchmark item","tags":["a","b"],"ok":true}""";

    /// <summary>JSON text of exactly <paramref name="size"/> bytes, with the quotes a real JSON body has to escape.</summary>
    public static byte[] JsonText(int size)
    {
        var text = new StringBuilder(size + JsonRecord.Length);
        while (text.Length < size)
        {
            text.Append(JsonRecord);
        }

        return Encoding.UTF8.GetBytes(text.ToString(0, size));
    }

    /// <summary>Plain text without characters JSON escapes.</summary>
    public static byte[] PlainText(int size)
    {
        var bytes = new byte[size];
        for (var i = 0; i < size; i++)
        {
            bytes[i] = (byte)('a' + (i % 26));
        }

        return bytes;
    }

    /// <summary>Bytes that are not UTF-8, as an image or archive body is.</summary>
    public static byte[] Binary(int size)
    {
        var bytes = new byte[size];
        for (var i = 0; i < size; i++)
        {
            bytes[i] = (byte)((i * 131) + 0x80);
        }

        return bytes;
    }
}
