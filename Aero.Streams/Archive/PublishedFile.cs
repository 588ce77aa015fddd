using Aero.Kafka.Messages;

namespace Aero.Streams.Archive;

/// <summary>A file the archive published: its name and range, how many records it holds, and the offset to commit to Kafka.</summary>
public sealed record PublishedFile(ArchiveFile File, long Records, CommittableOffset LastOffset);
