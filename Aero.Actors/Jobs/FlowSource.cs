namespace Aero.Actors.Jobs;

/// <summary>
/// What a flow (a job on the <c>flow</c> engine) extracts: the files in <paramref name="Watch"/> matching
/// <paramref name="Pattern"/>, each once by its content, once it has not changed for <paramref name="Settle"/> (a file
/// still being copied in is left for the next run).
/// </summary>
public sealed record FlowSource(string Watch, string Pattern, TimeSpan Settle);
