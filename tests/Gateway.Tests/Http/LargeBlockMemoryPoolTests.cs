using FcGateway.RuntimeApi;
using FcShared;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.RuntimeApi;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Http;

public sealed class LargeBlockMemoryPoolTests
{
    [Fact]
    public void ABlock_IsTheWholeBlockSize_WhateverIsAskedFor()
    {
        using var pool = new LargeBlockMemoryPool();

        using var small = pool.Rent(1);
        using var any = pool.Rent();

        Assert.Equal(LargeBlockMemoryPool.BlockSize, pool.MaxBufferSize);
        Assert.Equal(LargeBlockMemoryPool.BlockSize, small.Memory.Length);
        Assert.Equal(LargeBlockMemoryPool.BlockSize, any.Memory.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(LargeBlockMemoryPool.BlockSize + 1));
    }

    [Fact]
    public void AReturnedBlock_IsRentedAgain_AndReturningItTwice_DoesNotHandItToTwoRenters()
    {
        using var pool = new LargeBlockMemoryPool();
        var first = pool.Rent();
        first.Memory.Span[0] = 42;

        first.Dispose();
        first.Dispose();

        Assert.Equal(1, pool.FreeBlocks);
        using var again = pool.Rent();
        using var other = pool.Rent();
        Assert.Equal(42, again.Memory.Span[0]);
        Assert.False(again.Memory.Span.Overlaps(other.Memory.Span));
        Assert.Equal(0, pool.FreeBlocks);
    }

    [Fact]
    public void FreeBlocks_BeyondTheRetainedNumber_AreLeftToTheGc()
    {
        using var pool = new LargeBlockMemoryPool();
        var blocks = Enumerable.Range(0, LargeBlockMemoryPool.MaxRetainedBlocks + 3).Select(_ => pool.Rent()).ToList();

        blocks.ForEach(block => block.Dispose());

        Assert.Equal(LargeBlockMemoryPool.MaxRetainedBlocks, pool.FreeBlocks);
    }

    [Fact]
    public void ADisposedPool_DropsTheBlocksItKept_AndKeepsNoneReturnedLater_AndRentsNothing()
    {
        var pool = new LargeBlockMemoryPool();
        var kept = pool.Rent();
        var later = pool.Rent();
        kept.Dispose();
        Assert.Equal(1, pool.FreeBlocks);

        pool.Dispose();
        later.Dispose();

        Assert.Equal(0, pool.FreeBlocks);
        Assert.Throws<ObjectDisposedException>(() => pool.Rent());
    }

    [Fact]
    public async Task TheGatewaysKestrel_MakesItsPoolsWithTheLargeBlockFactory()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        // Kestrel's own factories are replaced, not merely outranked.
        var factory = Assert.IsType<LargeBlockMemoryPoolFactory>(Assert.Single(gateway.Services.GetServices<IMemoryPoolFactory<byte>>()));

        // Kestrel made its pools when it bound the listener: this factory is the one it took.
        Assert.True(factory.PoolsCreated > 0, "Kestrel made no pool with the registered factory");
    }

    [Fact]
    public async Task TheRuntimeApisKestrel_MakesItsPoolsWithTheLargeBlockFactory()
    {
        await using var gateway = await PullFunction.StartAsync();

        var runtimeApi = gateway.Services.GetRequiredService<RuntimeApiServer>().Services;

        Assert.NotNull(runtimeApi);
        var factory = Assert.IsType<LargeBlockMemoryPoolFactory>(Assert.Single(runtimeApi.GetServices<IMemoryPoolFactory<byte>>()));
        Assert.True(factory.PoolsCreated > 0, "the runtime API's Kestrel made no pool with the registered factory");
    }
}
