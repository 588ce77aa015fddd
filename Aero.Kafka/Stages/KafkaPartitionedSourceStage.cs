using Aero.Kafka.Dsl;
using Aero.Kafka.Internal;
using Aero.Kafka.Settings;
using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.Stage;
using Confluent.Kafka;

namespace Aero.Kafka.Stages;

/// <summary>
/// Emits one sub-source per assigned partition. A sub-source completes when its partition is revoked or lost;
/// a partition assigned again gets a new sub-source, so two never run for one partition.
/// </summary>
internal sealed class KafkaPartitionedSourceStage<TMessage>
    : GraphStageWithMaterializedValue<SourceShape<(TopicPartition, Source<TMessage, NotUsed>)>, IConsumerControl>
{
    private readonly ConsumerSettings _settings;
    private readonly Subscription _subscription;
    private readonly Func<ConsumeResult<byte[], byte[]>, PartitionBuffer, TMessage> _toMessage;

    public KafkaPartitionedSourceStage(ConsumerSettings settings, Subscription subscription, Func<ConsumeResult<byte[], byte[]>, PartitionBuffer, TMessage> toMessage)
    {
        _settings = settings;
        _subscription = subscription;
        _toMessage = toMessage;
        Shape = new SourceShape<(TopicPartition, Source<TMessage, NotUsed>)>(Out);
    }

    public Outlet<(TopicPartition, Source<TMessage, NotUsed>)> Out { get; } = new("KafkaPartitionedSource.out");

    public override SourceShape<(TopicPartition, Source<TMessage, NotUsed>)> Shape { get; }

    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("KafkaPartitionedSource");

    public override ILogicAndMaterializedValue<IConsumerControl> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var engine = new ConsumerEngine(_settings, _subscription.Topics, _subscription.OffsetsOnAssign);
        return new LogicAndMaterializedValue<IConsumerControl>(new Logic(this, engine), new ConsumerControl(engine));
    }

    private sealed class Logic : OutGraphStageLogic, IAssignmentListener
    {
        private readonly KafkaPartitionedSourceStage<TMessage> _stage;
        private readonly ConsumerEngine _engine;
        private CancellationTokenRegistration _streamEnds;
        private readonly Queue<PartitionBuffer> _assigned = new();
        private Action<IReadOnlyList<PartitionBuffer>> _onAssigned = _ => { };

        public Logic(KafkaPartitionedSourceStage<TMessage> stage, ConsumerEngine engine)
            : base(stage.Shape)
        {
            _stage = stage;
            _engine = engine;
            SetHandler(stage.Out, this);
        }

        // The engine logs through this stage: name the consumer rather than the stage's shape and materializer path.
        protected override object LogSource => _engine.LogSource;

        public override void PreStart()
        {
            _onAssigned = GetAsyncCallback<IReadOnlyList<PartitionBuffer>>(partitions =>
            {
                foreach (var partition in partitions)
                {
                    _assigned.Enqueue(partition);
                }

                TryPush();
            });
            var stop = GetAsyncCallback(CompleteStage);
            var fail = GetAsyncCallback<Exception>(FailStage);
            _streamEnds = _engine.WhenStreamEnds(stop, fail);
            _engine.Start(this, Log);
        }

        public override void OnPull() => TryPush();

        public override void PostStop()
        {
            _streamEnds.Dispose();
            if (!_engine.StopEmitting.IsCompleted)
            {
                _engine.ShutdownAfterStopTimeout();
            }
        }

        // Revocations need no call: sub-sources see them through their buffer, and one not emitted yet is skipped in TryPush.
        void IAssignmentListener.OnAssigned(IReadOnlyList<PartitionBuffer> partitions) => _onAssigned(partitions);

        private void TryPush()
        {
            while (IsAvailable(_stage.Out) && _assigned.TryDequeue(out var partition))
            {
                if (!partition.IsRevoked)
                {
                    var source = Source.FromGraph(new PartitionSourceStage<TMessage>(partition, _stage._toMessage));
                    Push(_stage.Out, (partition.TopicPartition, source));
                }
            }
        }
    }
}
