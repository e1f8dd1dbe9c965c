using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace FcGateway;

/// <summary>
/// When ASP.NET Core reads the <c>Logging</c> section's levels again: once the gateway has accepted an edit of the
/// configuration (<see cref="Apply"/>), not as soon as the file changes, so that an edit it rejects — for a problem
/// anywhere in it — leaves the levels in force as it leaves everything else. It takes the place of ASP.NET Core's own
/// change token for the log filters, which follows the file.
/// </summary>
internal sealed class AcceptedLogLevels : IOptionsChangeTokenSource<LoggerFilterOptions>, IDisposable
{
    private CancellationTokenSource _edit = new();

    public string? Name => Options.DefaultName;

    public IChangeToken GetChangeToken() => new CancellationChangeToken(Volatile.Read(ref _edit).Token);

    /// <summary>Has the levels of the configuration now in force read again.</summary>
    public void Apply()
    {
        using var applied = Interlocked.Exchange(ref _edit, new CancellationTokenSource());
        applied.Cancel();
    }

    public void Dispose() => Volatile.Read(ref _edit).Dispose();
}
