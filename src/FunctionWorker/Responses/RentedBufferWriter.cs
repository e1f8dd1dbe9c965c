using System.Buffers;

namespace FcWorker.Responses;

/// <summary>
/// A buffer writer over arrays rented from <see cref="ArrayPool{T}.Shared"/>, growing by doubling; what it wrote is
/// handed on as a <see cref="FunctionOutput"/> that returns the array, or the array is returned when it is disposed.
/// </summary>
internal sealed class RentedBufferWriter : IBufferWriter<byte>, IDisposable
{
    private const int InitialBytes = 4096;

    private byte[]? _array = ArrayPool<byte>.Shared.Rent(InitialBytes);

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Written => _array.AsSpan(0, Length);

    public void Advance(int count) => Length += count;

    public Memory<byte> GetMemory(int sizeHint = 0) => Ensure(sizeHint).AsMemory(Length);

    public Span<byte> GetSpan(int sizeHint = 0) => Ensure(sizeHint).AsSpan(Length);

    /// <summary>What was written, as an output that owns the array from now on.</summary>
    public FunctionOutput Detach(string contentType)
    {
        var array = _array!;
        _array = null;
        return FunctionOutput.FromRented(array, Length, contentType);
    }

    public void Dispose()
    {
        if (_array is { } array)
        {
            _array = null;
            ArrayPool<byte>.Shared.Return(array);
        }
    }

    private byte[] Ensure(int sizeHint)
    {
        var array = _array!;
        if (array.Length - Length >= Math.Max(sizeHint, 1))
        {
            return array;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(array.Length * 2, Length + Math.Max(sizeHint, 1)));
        array.AsSpan(0, Length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(array);
        _array = larger;
        return larger;
    }
}
