namespace FcGateway.Dialects.FcV1.Events;

/// <summary>The only characters JSON requires escaping in a string: control characters, <c>"</c> and <c>\</c>.</summary>
internal static class JsonEscaping
{
    public static byte[] RequiredBytes()
    {
        var bytes = new byte[0x22];
        for (var i = 0; i < 0x20; i++)
        {
            bytes[i] = (byte)i;
        }

        bytes[0x20] = (byte)'"';
        bytes[0x21] = (byte)'\\';
        return bytes;
    }

    /// <summary>A table indexed by byte: true for the bytes <see cref="RequiredBytes"/> lists.</summary>
    public static bool[] Table()
    {
        var table = new bool[256];
        foreach (var value in RequiredBytes())
        {
            table[value] = true;
        }

        return table;
    }
}
