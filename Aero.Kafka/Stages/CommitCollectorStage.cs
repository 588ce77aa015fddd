using Aero.Kafka.Messages;
using Aero.Kafka.Settings;
using Akka.Streams;
using Akka.Streams.Stage;

namespace Aero.Kafka.Stages;

/// <summary>
/// Folds offsets into one batch per <c>max-batch</c> offsets or <c>max-interval</c>, whichever comes first.
/// It keeps folding while a commit is under way (the batch holds one offset per partition, so memory stays flat),
/// and on upstream completion or failure it emits what it holds before it stops.
/// </summary>
internal sealed class CommitCollectorStage : GraphStage<FlowShape<ICommittable, CommittableOffsetBatch>>
{
    private const string IntervalTimer = "max-interval";
    private readonly CommitterSettings _settings;

    public CommitCollectorStage(CommitterSettings settings)
    {
        _settings = settings;
        Shape = new FlowShape<ICommittable, CommittableOffsetBatch>(In, Out);
    }

    public Inlet<ICommittable> In { get; } = new("CommitCollector.in");

    public Outlet<CommittableOffsetBatch> Out { get; } = new("CommitCollector.out");

    public override FlowShape<ICommittable, CommittableOffsetBatch> Shape { get; }

    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("CommitCollector");

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : TimerGraphStageLogic, IInHandler, IOutHandler
    {
        private readonly CommitCollectorStage _stage;
        private CommittableOffsetBatch _batch = new();
        private bool _due;
        private bool _timerScheduled;

        public Logic(CommitCollectorStage stage)
            : base(stage.Shape)
        {
            _stage = stage;
            SetHandler(stage.In, this);
            SetHandler(stage.Out, this);
        }

        public override void PreStart() => Pull(_stage.In);

        public void OnPush()
        {
            Grab(_stage.In).AddTo(_batch);
            if (_batch.Count >= _stage._settings.MaxBatch)
            {
                _due = true;
            }
            else if (!_timerScheduled)
            {
                // A field, not IsTimerActive: that is a string-keyed dictionary lookup for every offset.
                ScheduleOnce(IntervalTimer, _stage._settings.MaxInterval);
                _timerScheduled = true;
            }

            EmitIfDue();
            Pull(_stage.In);
        }

        public void OnUpstreamFinish() => EmitRemainingThen(CompleteStage);

        public void OnUpstreamFailure(Exception e) => EmitRemainingThen(() => FailStage(e));

        public void OnPull() => EmitIfDue();

        public void OnDownstreamFinish(Exception cause) => InternalOnDownstreamFinish(cause);

        protected override void OnTimer(object timerKey)
        {
            _timerScheduled = false;
            _due = true;
            EmitIfDue();
        }

        private void EmitIfDue()
        {
            if (_due && !_batch.IsEmpty && IsAvailable(_stage.Out))
            {
                Push(_stage.Out, TakeBatch());
            }
        }

        private void EmitRemainingThen(Action andThen)
        {
            if (_batch.IsEmpty)
            {
                andThen();
            }
            else
            {
                Emit(_stage.Out, TakeBatch(), andThen);
            }
        }

        private CommittableOffsetBatch TakeBatch()
        {
            var batch = _batch;
            _batch = new CommittableOffsetBatch();
            _due = false;
            CancelTimer(IntervalTimer);
            _timerScheduled = false;
            return batch;
        }
    }
}
