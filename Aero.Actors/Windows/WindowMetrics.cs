using System.Diagnostics.Metrics;

namespace Aero.Actors.Windows;

/// <summary>The finalizer's metrics (meter "Aero.Windows"), exported by the node like the others.</summary>
public static class WindowMetrics
{
    public const string MeterName = "Aero.Windows";

    private static readonly Meter Meter = new(MeterName);
    private static long _open;
    private static double _slowestWatermark;

    public static readonly Counter<long> Finalized = Meter.CreateCounter<long>("aero_windows_finalized", description: "Windows made final (merged into flight_window_stats)");
    public static readonly Counter<long> LateRecords = Meter.CreateCounter<long>("aero_windows_late_records", description: "Records stored after their window was final, counted in flight_window_late");
    public static readonly Counter<long> FailedRounds = Meter.CreateCounter<long>("aero_windows_failed_rounds", description: "Finalizing rounds that failed (tried again at the next progress or tick)");

    static WindowMetrics()
    {
        Meter.CreateObservableGauge("aero_windows_open", () => Interlocked.Read(ref _open), description: "Windows with partials that are not final yet");
        Meter.CreateObservableGauge("aero_windows_slowest_watermark_seconds", () => Volatile.Read(ref _slowestWatermark), unit: "s", description: "The watermark of the slowest partition that is not idle, in Unix seconds (0 before any)");
    }

    public static void Observe(int open, DateTime? slowestWatermark)
    {
        Interlocked.Exchange(ref _open, open);
        Volatile.Write(ref _slowestWatermark, slowestWatermark is { } time ? (time - DateTime.UnixEpoch).TotalSeconds : 0);
    }
}
