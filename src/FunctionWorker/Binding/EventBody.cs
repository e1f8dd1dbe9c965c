using System.Buffers;

namespace FcWorker.Binding;

/// <summary>The event bytes of one invocation, in an array rented from the shared pool until disposed.</summary>
internal readonly struct EventBody(byte[] array, int length) : IDisposable
{
    public ArraySegment<byte> Bytes => array is null ? ArraySegment<byte>.Empty : new(array, 0, length);

    public void Dispose()
    {
        if (array is not null)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
