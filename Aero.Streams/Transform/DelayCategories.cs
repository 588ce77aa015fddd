namespace Aero.Streams.Transform;

/// <summary>
/// The departure delay categories: On-Time up to <see cref="OnTimeMaxMinutes"/>, Minor up to <see cref="MinorMaxMinutes"/>,
/// Moderate up to <see cref="ModerateMaxMinutes"/> (each bound inclusive), Major beyond.
/// </summary>
public sealed record DelayCategories(int OnTimeMaxMinutes, int MinorMaxMinutes, int ModerateMaxMinutes)
{
    public const string OnTime = "On-Time";
    public const string Minor = "Minor";
    public const string Moderate = "Moderate";
    public const string Major = "Major";

    public string Categorize(double delayMinutes) =>
        delayMinutes <= OnTimeMaxMinutes ? OnTime
        : delayMinutes <= MinorMaxMinutes ? Minor
        : delayMinutes <= ModerateMaxMinutes ? Moderate
        : Major;
}
