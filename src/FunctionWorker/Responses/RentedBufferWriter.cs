using System.Buffers;

namespace FcWorker.Responses;

/// <summary>
/// A buffer writer over arrays rented from <see cref="ArrayPool{T}.Shared"/>, growing by doubling. What it wrote is
/// either copied out (<see cref="Clear"/> then keeps the array for the next use) or handed on as a
/// <see cref="FunctionOutput"/> that returns the array (the next use rents another).
/// </summary>
internal sealed class RentedBufferWriter : IBufferWriter<byte>
{
    private const int InitialBytes = 4096;

    private byte[]? _array;

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Written => _array.AsSpan(0, Length);

    public void Advance(int count) => Length += count;

    public Memory<byte> GetMemory(int sizeHint = 0) => Ensure(sizeHint).AsMemory(Length);

    public Span<byte> GetSpan(int sizeHint = 0) => Ensure(sizeHint).AsSpan(Length);

    /// <summary>Forgets what was written, keeping the array.</summary>
    public void Clear() => Length = 0;

    /// <summary>What was written, as an output that owns the array from now on.</summary>
    public FunctionOutput Detach(string contentType)
    {
        var output = FunctionOutput.FromRented(_array!, Length, contentType);
        _array = null;
        Length = 0;
        return output;
    }

    private byte[] Ensure(int sizeHint)
    {
        var needed = Length + Math.Max(sizeHint, 1);
        if (_array is { } array && array.Length >= needed)
        {
            return array;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Max(InitialBytes, (_array?.Length ?? 0) * 2)));
        if (_array is { } smaller)
        {
            smaller.AsSpan(0, Length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(smaller);
        }

        _array = larger;
        return larger;
    }
}
