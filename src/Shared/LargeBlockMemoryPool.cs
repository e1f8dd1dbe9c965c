using System.Buffers;

namespace FcShared;

/// <summary>
/// The memory Kestrel receives requests into and sends responses from, in blocks of <see cref="BlockSize"/> where its
/// own pool has 4 KiB. The socket transport receives at most one block per call, each after a zero-byte wait for data:
/// a 64 KiB body took 36 receive calls and takes 8 (<c>strace -c</c>), and the gateway's CPU per 64 KiB request fell by
/// 30 % (bench/ab.sh, 0.70×; no change within noise for GET and 1 KiB). The wait stays, so an idle connection holds no
/// block; what is being read or written holds 32 KiB blocks instead of 4 KiB ones (over HTTP/2, each stream's body and
/// output take a block of their own). Blocks are pinned, as sockets use them in place, and reused; Kestrel makes a pool
/// per I/O queue and endpoint, and each keeps at most <see cref="MaxRetainedBlocks"/> free blocks, leaving more to the
/// GC (Kestrel's own pool keeps any number and trims idle ones over time).
/// </summary>
internal sealed class LargeBlockMemoryPool : MemoryPool<byte>
{
    public const int BlockSize = 32 * 1024;

    /// <summary>Free blocks a pool keeps for reuse: 4 MiB.</summary>
    public const int MaxRetainedBlocks = 128;

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
        /// <summary>
        /// 1 while rented: a second dispose by the same renter, before the block is rented again, is ignored (Kestrel's
        /// pool has no such guard; a dispose after the block went to a new renter cannot be told from that renter's).
        /// </summary>
        private int _rented;

        public Memory<byte> Memory { get; } = GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true);

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
