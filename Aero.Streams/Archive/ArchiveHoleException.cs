namespace Aero.Streams.Archive;

/// <summary>The archive's files of a partition leave offsets out or hold some twice: the archive stops rather than go on.</summary>
public sealed class ArchiveHoleException(string message)
    : Exception($"ALARM: the archive is not whole: {message}. Restore or remove the files concerned (aero archive list shows them).");
