namespace Aero.Streams.Extract.Formats;

/// <summary>Another time field of the record plus the minutes in the first of <see cref="Minutes"/> the record has.</summary>
internal sealed record ShiftRule(string From, IReadOnlyList<string> Minutes);
