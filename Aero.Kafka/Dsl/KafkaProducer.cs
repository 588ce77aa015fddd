using Aero.Kafka.Messages;
using Aero.Kafka.Settings;
using Aero.Kafka.Stages;
using Akka;
using Akka.Streams.Dsl;

namespace Aero.Kafka.Dsl;

/// <summary>Kafka producer stages (acks=all, idempotent by default; see reference.conf).</summary>
public static class KafkaProducer
{
    /// <summary>Sends every message and emits its result, in input order, once all its records were acknowledged.</summary>
    public static Flow<ProducerMessage<TPassThrough>, ProducerResult<TPassThrough>, NotUsed> FlexiFlow<TPassThrough>(ProducerSettings settings) =>
        Flow.FromGraph(new ProducerStage<TPassThrough>(settings));

    /// <summary>Sends records; completes when the last one was acknowledged.</summary>
    public static Sink<ProducerRecord, Task<Done>> PlainSink(ProducerSettings settings) =>
        Flow.Create<ProducerRecord>()
            .Select(record => ProducerMessage<NotUsed>.Of(record, NotUsed.Instance))
            .Via(FlexiFlow<NotUsed>(settings))
            .ToMaterialized(Sink.Ignore<ProducerResult<NotUsed>>(), Keep.Right);
}
