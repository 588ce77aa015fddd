namespace Aero.Bench.Chaos;

/// <summary>What the audit counted and every difference it found (the first 20 named, the rest counted).</summary>
internal sealed class ChaosVerdict
{
    private readonly List<string> _failures = [];

    public long Good { get; set; }

    public long Bad { get; set; }

    public long Rows { get; set; }

    public long DeadLetters { get; set; }

    /// <summary>Offsets of good records the log holds more than once, not stored again since their event id was.</summary>
    public long GoodTwiceInLog { get; set; }

    public long FailureCount { get; private set; }

    public IReadOnlyList<string> Failures => _failures;

    public bool Passed => FailureCount == 0 && Rows == Good - GoodTwiceInLog && DeadLetters == Bad;

    public void Fail(string failure)
    {
        FailureCount++;
        if (_failures.Count < 20)
        {
            _failures.Add(failure);
        }
    }
}
