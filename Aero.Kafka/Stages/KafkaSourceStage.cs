using Aero.Kafka.Dsl;
using Aero.Kafka.Internal;
using Aero.Kafka.Settings;
using Akka.Streams;
using Akka.Streams.Stage;
using Confluent.Kafka;

namespace Aero.Kafka.Stages;

/// <summary>Emits the records of every assigned partition, taking turns between partitions.</summary>
internal sealed class KafkaSourceStage<TMessage> : GraphStageWithMaterializedValue<SourceShape<TMessage>, IConsumerControl>
{
    private const int Chunk = 512;
    private readonly ConsumerSettings _settings;
    private readonly Subscription _subscription;
    private readonly Func<ConsumeResult<byte[], byte[]>, PartitionBuffer, TMessage> _toMessage;

    public KafkaSourceStage(ConsumerSettings settings, Subscription subscription, Func<ConsumeResult<byte[], byte[]>, PartitionBuffer, TMessage> toMessage)
    {
        _settings = settings;
        _subscription = subscription;
        _toMessage = toMessage;
        Shape = new SourceShape<TMessage>(Out);
    }

    public Outlet<TMessage> Out { get; } = new("KafkaSource.out");

    public override SourceShape<TMessage> Shape { get; }

    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("KafkaSource");

    public override ILogicAndMaterializedValue<IConsumerControl> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var engine = new ConsumerEngine(_settings, _subscription.Topics, _subscription.OffsetsOnAssign);
        return new LogicAndMaterializedValue<IConsumerControl>(new Logic(this, engine), new ConsumerControl(engine));
    }

    private sealed class Logic : OutGraphStageLogic
    {
        private readonly KafkaSourceStage<TMessage> _stage;
        private readonly ConsumerEngine _engine;
        private CancellationTokenRegistration _streamEnds;
        private readonly Queue<ConsumeResult<byte[], byte[]>> _local = new();
        private PartitionBuffer? _localPartition;
        private Action _wakeup = () => { };
        private int _nextPartition;

        public Logic(KafkaSourceStage<TMessage> stage, ConsumerEngine engine)
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
            var wakeup = GetAsyncCallback(() =>
            {
                if (IsAvailable(_stage.Out))
                {
                    TryPush();
                }
            });
            _wakeup = wakeup;
            var stop = GetAsyncCallback(CompleteStage);
            var fail = GetAsyncCallback<Exception>(FailStage);
            _streamEnds = _engine.WhenStreamEnds(stop, fail);
            _engine.Start(listener: null, Log);
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

        private void TryPush()
        {
            if (TryNext(out var record))
            {
                Push(_stage.Out, _stage._toMessage(record, _localPartition!));
                return;
            }

            // Register first, then look again: records that arrived in between would otherwise wait for the next poll.
            _engine.RegisterWakeup(_wakeup);
            if (TryNext(out record))
            {
                Push(_stage.Out, _stage._toMessage(record, _localPartition!));
            }
        }

        private bool TryNext(out ConsumeResult<byte[], byte[]> record)
        {
            while (true)
            {
                if (_local.TryDequeue(out record!))
                {
                    if (!_localPartition!.IsRevoked)
                    {
                        return true;
                    }

                    _local.Clear();
                }

                var assigned = _engine.Assigned;
                var found = false;
                for (var i = 0; i < assigned.Count && !found; i++)
                {
                    var partition = assigned[(_nextPartition + i) % assigned.Count];
                    // Count first: an empty partition is skipped without taking the lock the consumer thread appends under.
                    if (partition.Count > 0 && partition.DrainTo(_local, Chunk) > 0)
                    {
                        _localPartition = partition;
                        _nextPartition = (_nextPartition + i + 1) % assigned.Count;
                        found = true;
                    }
                }

                if (!found)
                {
                    return false;
                }
            }
        }
    }
}
