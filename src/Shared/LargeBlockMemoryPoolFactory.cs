using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace FcShared;

/// <summary>Gives Kestrel <see cref="LargeBlockMemoryPool"/>s (registered as the <see cref="IMemoryPoolFactory{T}"/> of a server's services).</summary>
internal sealed class LargeBlockMemoryPoolFactory : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new LargeBlockMemoryPool();
}
