namespace Aero.Kafka.Settings;

/// <summary>Where a partition starts without a stored offset, or after its offset fell out of range.</summary>
public enum OffsetReset
{
    /// <summary>Stop the stream with an error. Only meaningful for out-of-range offsets.</summary>
    Fail,
    Earliest,
    Latest,
}
