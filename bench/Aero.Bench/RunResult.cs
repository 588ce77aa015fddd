namespace Aero.Bench;

/// <summary>One consume run: how long to the N-th record, and how long until the first one (mostly the group join).</summary>
internal sealed record RunResult(long Records, long Bytes, TimeSpan Elapsed, TimeSpan FirstRecord)
{
    public double RecordsPerSecond => Records / Elapsed.TotalSeconds;

    public double MegabytesPerSecond => Bytes / Elapsed.TotalSeconds / (1024 * 1024);

    /// <summary>Throughput once records flow: leaves the group join out, which is noise at this size.</summary>
    public double SteadyRecordsPerSecond => (Records - 1) / (Elapsed - FirstRecord).TotalSeconds;
}
