using System.Buffers;
using System.Runtime.InteropServices;

namespace FcGateway.Buffers;

/// <summary>
/// A block of anonymous memory mapped for one buffer and unmapped when it is disposed (Linux): a large request
/// body or function output neither stays in a pool nor becomes garbage the GC may keep committed, so the
/// process's memory goes back to where it was as soon as the invocation ends.
/// </summary>
/// <remarks>
/// Nothing may read the memory after disposal: the invocation path releases a buffer only once the worker
/// request that reads it has finished serializing (<see cref="FcGateway.Dispatch.Push.WorkerPayload"/>). There is
/// no finalizer (a span over the memory would not keep this object alive): owners dispose it.
/// </remarks>
internal sealed unsafe partial class MappedMemory : MemoryManager<byte>
{
    private const int ProtectRead = 0x1;
    private const int ProtectWrite = 0x2;
    private const int MapPrivate = 0x02;
    private const int MapAnonymous = 0x20;
    private static readonly nint MapFailed = -1;

    private readonly int _length;
    private nint _address;

    public MappedMemory(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        var address = Map(0, (nuint)length, ProtectRead | ProtectWrite, MapPrivate | MapAnonymous, -1, 0);
        if (address == MapFailed)
        {
            throw new InsufficientMemoryException($"Could not map {length} bytes (errno {Marshal.GetLastPInvokeError()}).");
        }

        _address = address;
        _length = length;
    }

    /// <summary>Whether buffers can be mapped here; elsewhere large buffers come from the array pool.</summary>
    public static bool IsSupported { get; } = OperatingSystem.IsLinux();

    public override Span<byte> GetSpan()
    {
        ObjectDisposedException.ThrowIf(_address == 0, this);
        return new Span<byte>((void*)_address, _length);
    }

    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ObjectDisposedException.ThrowIf(_address == 0, this);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)elementIndex, (uint)_length);
        return new MemoryHandle((byte*)_address + elementIndex);
    }

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
        var address = Interlocked.Exchange(ref _address, 0);
        if (address != 0)
        {
            _ = Unmap(address, (nuint)_length);
        }
    }

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial nint Map(nint address, nuint length, int protection, int flags, int fileDescriptor, nint offset);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    private static partial int Unmap(nint address, nuint length);
}
