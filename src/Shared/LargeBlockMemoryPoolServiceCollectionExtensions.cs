using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FcShared;

/// <summary>Gives a server's Kestrel <see cref="LargeBlockMemoryPool"/>s.</summary>
internal static class LargeBlockMemoryPoolServiceCollectionExtensions
{
    /// <summary>
    /// Replaces the memory pool factories already registered (Kestrel's and its socket transport's) with
    /// <see cref="LargeBlockMemoryPoolFactory"/>. Call it after Kestrel is added: a factory registered later wins.
    /// </summary>
    public static IServiceCollection AddLargeBlockMemoryPool(this IServiceCollection services)
    {
        services.RemoveAll<IMemoryPoolFactory<byte>>();
        return services.AddSingleton<IMemoryPoolFactory<byte>, LargeBlockMemoryPoolFactory>();
    }
}
