namespace Aero.Streams.Windows;

/// <summary>Which time of a record places it in windows (<c>aero.windows.event-time</c>).</summary>
public enum WindowEventTime
{
    /// <summary>The scheduled departure, else the record's event time.</summary>
    ScheduledDeparture,

    /// <summary>The record's event time (<c>timestamp</c>).</summary>
    EventTime,
}
