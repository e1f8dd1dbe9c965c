using System.Buffers;

namespace FcGateway.Buffers;

/// <summary>
/// A growable byte buffer for request bodies, events and worker output. Up to <see cref="MappedThreshold"/> it
/// is backed by <see cref="ArrayPool{T}.Shared"/>, so no array is allocated per invocation; above, by a
/// <see cref="MappedMemory"/> block where supported, which is unmapped on disposal, so a large body neither
/// pins a body-sized array in the pool nor leaves large-object garbage behind.
/// </summary>
internal sealed class PooledBuffer : IBufferWriter<byte>, IDisposable
{
    /// <summary>Capacities from this size up are mapped (where supported) instead of pooled.</summary>
    public const int MappedThreshold = 1024 * 1024;

    /// <summary>The most that is made room for on a peer's word alone (<see cref="ReserveFor"/>).</summary>
    public const int MaxReservedAhead = 128 * 1024;

    private const int MinimumGrowth = 4096;

    private byte[]? _array;
    private MappedMemory? _mapped;
    private Memory<byte> _memory;
    private int _written;

    public PooledBuffer(int initialCapacity = MinimumGrowth)
    {
        Acquire(Math.Max(initialCapacity, 256));
    }

    public int WrittenCount => _written;

    /// <summary>Whether the buffer is backed by mapped memory rather than a pooled array.</summary>
    public bool IsMapped => _mapped is not null;

    public ReadOnlySpan<byte> WrittenSpan => _memory.Span[.._written];

    public ReadOnlyMemory<byte> WrittenMemory => _memory[.._written];

    /// <summary>The written bytes as writable memory, for in-place transformations such as base64 decoding.</summary>
    public Memory<byte> WrittenWritableMemory => _memory[.._written];

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > _memory.Length - _written)
        {
            throw new InvalidOperationException("Cannot advance past the end of the buffer.");
        }

        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureFree(sizeHint);
        return _memory[_written..];
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureFree(sizeHint);
        return _memory.Span[_written..];
    }

    /// <summary>
    /// Makes room in one step for the <paramref name="declaredBytes"/> a peer says it will send (its Content-Length), so
    /// reading them does not double the buffer, with a copy, each time it fills. At most <see cref="MaxReservedAhead"/>
    /// is taken before the bytes arrive: a peer that declares much and sends little holds no more than that.
    /// </summary>
    public void ReserveFor(long declaredBytes) => EnsureFree((int)Math.Clamp(declaredBytes, 0, MaxReservedAhead));

    /// <summary>Forgets what was written, keeping the storage for the next use.</summary>
    public void Clear() => _written = 0;

    public void Write(ReadOnlySpan<byte> bytes)
    {
        EnsureFree(bytes.Length);
        bytes.CopyTo(_memory.Span[_written..]);
        _written += bytes.Length;
    }

    public void Dispose()
    {
        _written = 0;
        Release();
        _memory = Memory<byte>.Empty;
    }

    private void EnsureFree(int sizeHint)
    {
        ObjectDisposedException.ThrowIf(_memory.IsEmpty, this);
        var needed = Math.Max(sizeHint, 1);
        if (_memory.Length - _written >= needed)
        {
            return;
        }

        var newSize = (int)Math.Min(Array.MaxLength, Math.Max((long)_memory.Length * 2, (long)_written + Math.Max(needed, MinimumGrowth)));
        var (oldArray, oldMapped, oldMemory) = (_array, _mapped, _memory);
        Acquire(newSize);
        oldMemory.Span[.._written].CopyTo(_memory.Span);
        Release(oldArray, oldMapped);
    }

    private void Acquire(int capacity)
    {
        if (capacity >= MappedThreshold && MappedMemory.IsSupported)
        {
            _array = null;
            _mapped = new MappedMemory(capacity);
            _memory = _mapped.Memory;
        }
        else
        {
            _mapped = null;
            _array = ArrayPool<byte>.Shared.Rent(capacity);
            _memory = _array;
        }
    }

    private void Release() => Release(Interlocked.Exchange(ref _array, null), Interlocked.Exchange(ref _mapped, null));

    private static void Release(byte[]? array, MappedMemory? mapped)
    {
        if (array is not null)
        {
            ArrayPool<byte>.Shared.Return(array);
        }

        ((IDisposable?)mapped)?.Dispose();
    }
}
