namespace Aero.Streams.Windows;

/// <summary>What a window's aggregates are keyed by (<c>aero.windows.dimensions</c>).</summary>
public enum WindowDimension
{
    /// <summary>Every record under one key.</summary>
    All,
    Airline,
    Origin,
    Destination,
    Route,
    DelayCategory,
}
