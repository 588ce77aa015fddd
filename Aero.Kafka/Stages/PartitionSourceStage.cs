using Aero.Kafka.Internal;
using Akka.Streams;
using Akka.Streams.Stage;
using Confluent.Kafka;

namespace Aero.Kafka.Stages;

/// <summary>The records of one partition in one assignment; completes when the partition is revoked or the source stops.</summary>
internal sealed class PartitionSourceStage<TMessage> : GraphStage<SourceShape<TMessage>>
{
    private const int Chunk = 512;
    private readonly PartitionBuffer _partition;
    private readonly Func<ConsumeResult<byte[], byte[]>, PartitionBuffer, TMessage> _toMessage;

    public PartitionSourceStage(PartitionBuffer partition, Func<ConsumeResult<byte[], byte[]>, PartitionBuffer, TMessage> toMessage)
    {
        _partition = partition;
        _toMessage = toMessage;
        Shape = new SourceShape<TMessage>(Out);
    }

    public Outlet<TMessage> Out { get; } = new("KafkaPartitionSource.out");

    public override SourceShape<TMessage> Shape { get; }

    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("KafkaPartitionSource");

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : OutGraphStageLogic
    {
        private readonly PartitionSourceStage<TMessage> _stage;
        private readonly Queue<ConsumeResult<byte[], byte[]>> _local = new();
        private Action _wakeup = () => { };
        private CancellationTokenRegistration _streamEnds;

        public Logic(PartitionSourceStage<TMessage> stage)
            : base(stage.Shape)
        {
            _stage = stage;
            SetHandler(stage.Out, this);
        }

        private PartitionBuffer Partition => _stage._partition;

        public override void PreStart()
        {
            _wakeup = GetAsyncCallback(() =>
            {
                if (IsAvailable(_stage.Out))
                {
                    TryPush();
                }
            });
            var stop = GetAsyncCallback(CompleteStage);
            var fail = GetAsyncCallback<Exception>(FailStage);
            _streamEnds = Partition.Engine.WhenStreamEnds(stop, fail);
        }

        // Unregistered, or every revoked sub-source would stay reachable from the engine until the stream ends.
        public override void PostStop() => _streamEnds.Dispose();

        public override void OnPull() => TryPush();

        private void TryPush()
        {
            if (TryPushOne())
            {
                return;
            }

            Partition.RegisterWakeup(_wakeup);
            TryPushOne();
        }

        private bool TryPushOne()
        {
            if (Partition.IsRevoked)
            {
                // Records of a revoked partition belong to its next owner now.
                _local.Clear();
                CompleteStage();
                return true;
            }

            if (_local.Count == 0 && Partition.DrainTo(_local, Chunk) == 0)
            {
                return false;
            }

            Push(_stage.Out, _stage._toMessage(_local.Dequeue(), Partition));
            return true;
        }
    }
}
