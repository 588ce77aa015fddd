using Aero.Warehouse;

namespace Aero.Node.Report;

/// <summary>One chart of a report: its file name, title, the SVG drawn, and the numbers behind it (its CSV).</summary>
public sealed record ReportChart(string Name, string Title, string Svg, QueryResult Data);
