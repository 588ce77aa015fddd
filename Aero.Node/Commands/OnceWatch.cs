using System.Globalization;

namespace Aero.Node.Commands;

/// <summary>
/// Decides when <c>aero run --once</c> is done: once the warehouse's next offsets, written by every node of the
/// consumer group, reach each partition's log end; and when it has stalled: the offsets have not moved for
/// <c>aero.run.once-stall-timeout</c>, so it ends with an error instead of waiting silently.
/// </summary>
public sealed class OnceWatch
{
    private readonly IReadOnlyDictionary<int, long> _logEnd;
    private readonly TimeSpan _stallTimeout;
    private readonly TimeProvider _time;
    private long _reached = -1;
    private DateTimeOffset _movedAt;

    public OnceWatch(IReadOnlyDictionary<int, long> logEnd, TimeSpan stallTimeout, TimeProvider time)
    {
        _logEnd = logEnd;
        _stallTimeout = stallTimeout;
        _time = time;
        _movedAt = time.GetUtcNow();
    }

    /// <summary>The sum of the log ends: the offsets the warehouse must reach.</summary>
    public long Target => _logEnd.Values.Sum();

    /// <summary>Looks at the stored next offsets (partitions never written are absent).</summary>
    public OnceOutcome Observe(IReadOnlyDictionary<int, long> stored)
    {
        var reached = Reached(stored);
        if (reached > _reached)
        {
            (_reached, _movedAt) = (reached, _time.GetUtcNow());
        }

        if (_logEnd.All(end => stored.GetValueOrDefault(end.Key) >= end.Value))
        {
            return OnceOutcome.Done;
        }

        return _time.GetUtcNow() - _movedAt >= _stallTimeout ? OnceOutcome.Stalled : OnceOutcome.Waiting;
    }

    /// <summary>How far the warehouse is, for a progress line: offsets reached of the target, and the partitions behind.</summary>
    public string Progress(IReadOnlyDictionary<int, long> stored) => string.Create(
        CultureInfo.InvariantCulture,
        $"the warehouse's offsets reached {Reached(stored):N0} of {Target:N0}; {Behind(stored).Count()} of {_logEnd.Count} partitions behind");

    /// <summary>Why --once gives up, naming the partitions that are behind and where they stand.</summary>
    public string StallMessage(IReadOnlyDictionary<int, long> stored)
    {
        var behind = Behind(stored).Take(10).Select(p => stored.TryGetValue(p.Key, out var next)
            ? string.Create(CultureInfo.InvariantCulture, $"{p.Key} at {next:N0} of {p.Value:N0}")
            : string.Create(CultureInfo.InvariantCulture, $"{p.Key} with nothing stored, log end {p.Value:N0}"));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"The warehouse's offsets have not moved for {_stallTimeout} (aero.run.once-stall-timeout): they reached {Reached(stored):N0} of {Target:N0}. " +
            $"Behind: partition {string.Join(", ", behind)}. The load is not reaching the log end; see the log above for failures and where each partition started.");
    }

    /// <summary>The offsets reached of <see cref="Target"/>: each partition counts up to its log end.</summary>
    public long Reached(IReadOnlyDictionary<int, long> stored) => _logEnd.Sum(end => Math.Min(stored.GetValueOrDefault(end.Key), end.Value));

    private IEnumerable<KeyValuePair<int, long>> Behind(IReadOnlyDictionary<int, long> stored) =>
        _logEnd.Where(end => stored.GetValueOrDefault(end.Key) < end.Value).OrderBy(end => end.Key);
}
