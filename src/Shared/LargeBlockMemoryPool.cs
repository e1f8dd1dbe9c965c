using System.Buffers;

namespace FcShared;

/// <summary>
/// The memory Kestrel receives requests into and sends responses from, in blocks of <see cref="BlockSize"/> where its
/// own pool has 4 KiB. The socket transport receives at most one block per call, each after a zero-byte wait for data:
/// a 64 KiB body took 36 receive calls and takes 8 (<c>strace -c</c>), and the gateway's CPU per 64 KiB request fell by
/// 30 % (bench/ab.sh, 0.70×; no change within noise for GET and 1 KiB). The wait stays, so an idle connection holds no block: the cost is 32 KiB instead of
/// 4 KiB per connection while it is being read from or written to. Blocks are pinned, as sockets use them in place,
/// and reused; at most <see cref="MaxRetainedBlocks"/> free ones are kept, more are left to the GC.
/// </summary>
internal sealed class LargeBlockMemoryPool : MemoryPool<byte>
{
    public const int BlockSize = 32 * 1024;

    /// <summary>Free blocks kept for reuse: 32 MiB.</summary>
    public const int MaxRetainedBlocks = 1024;

    // A stack: the block returned last is rented next, while its memory is still in the CPU's caches.
    private readonly Block?[] _free = new Block?[MaxRetainedBlocks];
    private readonly Lock _gate = new();
    private int _freeCount;
    private bool _disposed;

    public override int MaxBufferSize => BlockSize;

    /// <summary>How many free blocks wait to be reused.</summary>
    public int FreeBlocks
    {
        get
        {
            lock (_gate)
            {
                return _freeCount;
            }
        }
    }

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        Block? block = null;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_freeCount > 0)
            {
                block = _free[--_freeCount];
                _free[_freeCount] = null;
            }
        }

        block ??= new Block(this);
        block.MarkRented();
        return block;
    }

    protected override void Dispose(bool disposing)
    {
        lock (_gate)
        {
            _disposed = true;
            Array.Clear(_free);
            _freeCount = 0;
        }
    }

    private void Return(Block block)
    {
        lock (_gate)
        {
            if (!_disposed && _freeCount < MaxRetainedBlocks)
            {
                _free[_freeCount++] = block;
            }
        }
    }

    private sealed class Block(LargeBlockMemoryPool pool) : IMemoryOwner<byte>
    {
        private readonly byte[] _array = GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true);

        /// <summary>1 while rented: a second dispose must not hand the same memory to two renters.</summary>
        private int _rented;

        public Memory<byte> Memory => _array;

        public void MarkRented() => Volatile.Write(ref _rented, 1);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _rented, 0) == 1)
            {
                pool.Return(this);
            }
        }
    }
}
