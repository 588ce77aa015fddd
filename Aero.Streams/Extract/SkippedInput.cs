namespace Aero.Streams.Extract;

/// <summary>An entry an input names (a directory's file or subdirectory, a glob's match) that the extract does not read, and why.</summary>
public sealed record SkippedInput(string Path, string Reason);
