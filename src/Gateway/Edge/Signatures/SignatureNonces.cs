using System.Collections.Concurrent;

namespace FcGateway.Edge.Signatures;

/// <summary>
/// The signed <c>x-acs-signature-nonce</c>s of the calls taken, each kept until its signature expires: Alibaba Cloud's
/// API takes a nonce once, so a captured call (FC's SDKs sign a fresh nonce into each) cannot be run again. Only calls
/// whose signature held are remembered, so only holders of a secret add to it.
/// </summary>
internal sealed class SignatureNonces
{
    private static readonly TimeSpan PruneInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<(string AccessKeyId, string Nonce), DateTimeOffset> _taken = new();
    private readonly Lock _pruning = new();
    private DateTimeOffset _nextPrune = DateTimeOffset.MinValue;

    /// <summary>Takes <paramref name="nonce"/> of <paramref name="accessKeyId"/> until <paramref name="expires"/>.</summary>
    /// <returns>False when it was taken already (and has not expired).</returns>
    public bool TryTake(string accessKeyId, string nonce, DateTimeOffset expires, DateTimeOffset now)
    {
        Prune(now);
        var key = (accessKeyId, nonce);
        while (true)
        {
            if (_taken.TryAdd(key, expires))
            {
                return true;
            }

            if (!_taken.TryGetValue(key, out var until))
            {
                // Pruned in between: try again.
                continue;
            }

            if (until > now)
            {
                return false;
            }

            // Expired but not pruned yet: the signature it came with no longer holds, so the nonce is free again.
            _taken.TryRemove(new KeyValuePair<(string, string), DateTimeOffset>(key, until));
        }
    }

    private void Prune(DateTimeOffset now)
    {
        if (now < _nextPrune || !_pruning.TryEnter())
        {
            return;
        }

        try
        {
            _nextPrune = now + PruneInterval;
            foreach (var entry in _taken)
            {
                if (entry.Value <= now)
                {
                    _taken.TryRemove(entry);
                }
            }
        }
        finally
        {
            _pruning.Exit();
        }
    }
}
