namespace Aero.Node.Dashboard;

/// <summary>One bar of a chart: its label, the value drawn, and the flights behind it.</summary>
public sealed record ChartRow(string Label, double Value, long Flights);
