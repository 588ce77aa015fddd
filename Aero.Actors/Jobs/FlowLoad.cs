using Aero.Kafka.Settings;
using Aero.Streams.Extract;
using Aero.Streams.Schema;
using Akka.Streams;

namespace Aero.Actors.Jobs;

/// <summary>
/// What a flow needs of its node's load: where extracted records go (as <c>aero produce</c> sends them), the topic's
/// log end, and the warehouse's stored next offsets for that topic, which say how far the load has stored it.
/// </summary>
/// <param name="LogEnd">The next offset of each partition of the load's topic.</param>
/// <param name="Stored">The warehouse's next offset of each partition it stored (absent when none).</param>
/// <param name="Materializer">The node's materializer, asked for when a flow runs (the node starts after its jobs are read).</param>
public sealed record FlowLoad(
    ExtractSettings Extract,
    FileSourceSettings Files,
    ProducerSettings Producer,
    FramedValueWriter? Framed,
    Func<CancellationToken, Task<IReadOnlyDictionary<int, long>>> LogEnd,
    Func<CancellationToken, Task<IReadOnlyDictionary<int, long>>> Stored,
    Func<IMaterializer> Materializer);
