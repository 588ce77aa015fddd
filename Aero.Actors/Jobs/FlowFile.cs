namespace Aero.Actors.Jobs;

/// <summary>One file a flow extracted, as <c>_aero_flow_files</c> keeps it: by the SHA-256 of its content.</summary>
/// <param name="File">Its path when it was extracted (a later copy under another name is the same file).</param>
public sealed record FlowFile(
    string Flow, string Sha256, string File, long Bytes, long RecordsRead, long RecordsProduced, long RecordsDeadLettered, string RunId, DateTimeOffset ExtractedAt);
