using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace FcGateway.Http;

/// <summary>
/// .NET's inline socket completions (<c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c> in the gateway's environment),
/// an operator's choice: a socket's reads and writes complete on the thread that polls the sockets rather than on the
/// thread pool. With them on, the clients' listener runs requests on that thread as well
/// (<see cref="SocketTransportOptions.UnsafePreferInlineScheduling"/>), so a request goes from the client's socket to
/// the worker's and back without a thread-pool hop; work that grows with a body's size leaves that thread first
/// (<see cref="LeaveSocketThreadForAsync"/>). The runtime API's listener keeps the pool: a pulling instance's polls and replies
/// share one HTTP/2 connection, whose streams would all run on one thread. Functions the gateway launches do not
/// inherit the variable.
/// </summary>
internal static class InlineSocketCompletions
{
    /// <summary>The variable the runtime reads once, as the first socket operation starts its polling threads.</summary>
    public const string VariableName = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>From this many bytes, encoding or translating a body, or reading all of it to check or hash it, is work to leave the socket's thread for.</summary>
    public const int LargeWorkBytes = 64 * 1024;

    /// <summary>Has Kestrel run requests on the thread their socket's read completed on when this process completes them there.</summary>
    public static void FollowInKestrel(SocketTransportOptions options) => FollowInKestrel(options, Environment.GetEnvironmentVariable(VariableName));

    /// <param name="options">Kestrel's socket transport.</param>
    /// <param name="value">The variable's value: only <c>1</c> turns them on, as the runtime reads it.</param>
    public static void FollowInKestrel(SocketTransportOptions options, string? value)
    {
        if (value == "1")
        {
            options.UnsafePreferInlineScheduling = true;
        }
    }

    /// <summary>
    /// Whether work on <paramref name="bytes"/> bytes should first move to the thread pool: on a thread that polls sockets
    /// (only inline completions run requests there), it would hold up every connection that thread serves.
    /// </summary>
    public static bool MustLeaveForWorkOn(int bytes) => bytes >= LargeWorkBytes && !Thread.CurrentThread.IsThreadPoolThread;

    /// <summary>
    /// Moves the caller to the thread pool before work on <paramref name="bytes"/> bytes when <see cref="MustLeaveForWorkOn"/>
    /// says so; completes at once, where it was called, otherwise.
    /// </summary>
    public static ValueTask LeaveSocketThreadForAsync(int bytes) => MustLeaveForWorkOn(bytes) ? ToThreadPoolAsync() : default;

    private static async ValueTask ToThreadPoolAsync() => await Task.Yield();
}
