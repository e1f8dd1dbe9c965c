using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace FcShared;

/// <summary>Gives Kestrel <see cref="LargeBlockMemoryPool"/>s (registered as the <see cref="IMemoryPoolFactory{T}"/> of a server's services).</summary>
internal sealed class LargeBlockMemoryPoolFactory : IMemoryPoolFactory<byte>
{
    private int _created;

    /// <summary>How many pools were made: a server that took this factory has made one per I/O queue and endpoint.</summary>
    public int PoolsCreated => Volatile.Read(ref _created);

    public MemoryPool<byte> Create(MemoryPoolOptions? options = null)
    {
        Interlocked.Increment(ref _created);
        return new LargeBlockMemoryPool();
    }
}
