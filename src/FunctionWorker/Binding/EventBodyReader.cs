using System.Buffers;
using System.IO.Pipelines;

namespace FcWorker.Binding;

/// <summary>Reads a request body from its pipe into one pooled array, so binding sees contiguous bytes.</summary>
internal static class EventBodyReader
{
    private const int DefaultCapacity = 4096;

    public static async ValueTask<EventBody> ReadAsync(PipeReader reader, long? contentLength, CancellationToken cancellationToken)
    {
        var array = ArrayPool<byte>.Shared.Rent(contentLength is > 0 and <= int.MaxValue ? (int)contentLength.Value : DefaultCapacity);
        var length = 0;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                foreach (var segment in result.Buffer)
                {
                    array = EnsureCapacity(array, length, segment.Length);
                    segment.Span.CopyTo(array.AsSpan(length));
                    length += segment.Length;
                }

                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    return new EventBody(array, length);
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(array);
            throw;
        }
    }

    private static byte[] EnsureCapacity(byte[] array, int length, int needed)
    {
        if (array.Length - length >= needed)
        {
            return array;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(array.Length * 2, length + needed));
        array.AsSpan(0, length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(array);
        return larger;
    }
}
