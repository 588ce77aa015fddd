using System.Collections.Concurrent;
using Aero.Kafka.Messages;
using Aero.Kafka.Settings;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Stage;
using Confluent.Kafka;

namespace Aero.Kafka.Stages;

/// <summary>
/// Sends records and emits results in input order, taking no more messages once <c>parallelism</c> records are in
/// flight (sent, not yet emitted); a message of many records counts as many, an empty one as one.
/// Delivery reports arrive on librdkafka's thread; they are queued and handed to the stage in bunches,
/// one async callback per bunch rather than one per record.
/// </summary>
internal sealed class ProducerStage<TPassThrough> : GraphStage<FlowShape<ProducerMessage<TPassThrough>, ProducerResult<TPassThrough>>>
{
    private readonly ProducerSettings _settings;

    public ProducerStage(ProducerSettings settings)
    {
        _settings = settings;
        Shape = new FlowShape<ProducerMessage<TPassThrough>, ProducerResult<TPassThrough>>(In, Out);
    }

    public Inlet<ProducerMessage<TPassThrough>> In { get; } = new("KafkaProducer.in");

    public Outlet<ProducerResult<TPassThrough>> Out { get; } = new("KafkaProducer.out");

    public override FlowShape<ProducerMessage<TPassThrough>, ProducerResult<TPassThrough>> Shape { get; }

    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("KafkaProducer");

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    // Not the message itself: librdkafka has copied its records once they are produced, and holding a message of many
    // records until its last acknowledgement would keep them all past young-generation collections.
    private sealed class InFlight(ProducerMessage<TPassThrough> message)
    {
        public TPassThrough PassThrough { get; } = message.PassThrough;
        public DeliveryResult<byte[], byte[]>[] Deliveries { get; } = new DeliveryResult<byte[], byte[]>[message.Records.Count];
        public int Remaining { get; set; } = message.Records.Count;
        public KafkaProduceException? Error { get; set; }

        // What it counts against parallelism: its records, and at least 1, so that pass-through-only messages are bounded too.
        public int Weight { get; } = Math.Max(1, message.Records.Count);
    }

    // One record in flight, and where its report goes. Reused once its report is taken: its handler is created once,
    // so producing a record allocates no closure and no delegate of ours. Written on the stage's thread before the
    // record is produced, read there again after librdkafka's thread enqueued it with its report.
    private sealed class DeliverySlot
    {
        public DeliverySlot(Logic logic) => Handler = report =>
        {
            Report = report;
            logic.Reported(this);
        };

        public Action<DeliveryReport<byte[], byte[]>> Handler { get; }
        public InFlight? Message { get; set; }
        public int Index { get; set; }
        public DeliveryReport<byte[], byte[]>? Report { get; set; }
    }

    private sealed class Logic : InAndOutGraphStageLogic
    {
        private readonly ProducerStage<TPassThrough> _stage;
        private readonly Queue<InFlight> _inFlight = new();
        private readonly ConcurrentQueue<DeliverySlot> _reports = new();

        // At most as many as records were ever in flight at once; only the stage's thread takes and returns them.
        private readonly Stack<DeliverySlot> _freeSlots = new();

        // Confluent.Kafka reads a message only while producing it (librdkafka copies key, value and headers), so one
        // instance serves every record rather than one more allocation per record.
        private readonly Message<byte[], byte[]> _message = new();

        // The last destination, kept while records go to the same one: Produce(topic, ...) would allocate it per record.
        private TopicPartition? _destination;
        private IProducer<byte[], byte[]>? _producer;
        private int _recordsInFlight;
        private Action _reportsArrived = () => { };
        private int _reportsScheduled;

        protected override object LogSource => "Kafka producer";

        public Logic(ProducerStage<TPassThrough> stage)
            : base(stage.Shape)
        {
            _stage = stage;
            SetHandler(stage.In, this);
            SetHandler(stage.Out, this);
        }

        public override void PreStart()
        {
            _reportsArrived = GetAsyncCallback(TakeReports);
            // A fatal error ends the producer for good; its queued records then come back only as "purged", so the stage
            // fails with the fatal error itself, the cause.
            var fatal = GetAsyncCallback<Confluent.Kafka.Error>(error => FailStage(new KafkaException(error)));
            _producer = new ProducerBuilder<byte[], byte[]>(_stage._settings.ToClientConfig())
                .SetErrorHandler((_, error) =>
                {
                    if (error.IsFatal)
                    {
                        fatal(error);
                    }
                    else
                    {
                        Log.Warning("Kafka producer: {0} ({1})", error.Reason, error.Code);
                    }
                })
                .SetLogHandler((_, message) =>
                {
                    if (message.Level <= SyslogLevel.Warning)
                    {
                        Log.Warning("librdkafka {0}: {1}", message.Facility, message.Message);
                    }
                })
                .Build();
            Pull(_stage.In);
        }

        public override void OnPush()
        {
            var message = Grab(_stage.In);
            var inFlight = new InFlight(message);
            _inFlight.Enqueue(inFlight);
            _recordsInFlight += inFlight.Weight;
            for (var i = 0; i < message.Records.Count; i++)
            {
                var record = message.Records[i];
                _message.Key = record.Key!;
                _message.Value = record.Value;
                _message.Headers = record.Headers;
                var slot = _freeSlots.TryPop(out var free) ? free : new DeliverySlot(this);
                slot.Message = inFlight;
                slot.Index = i;
                try
                {
                    _producer!.Produce(DestinationOf(record), _message, slot.Handler);
                }
                catch (ProduceException<byte[], byte[]> refused) when (refused.Error.IsBrokerError || refused.Error.Code == ErrorCode.Local_Fatal)
                {
                    // librdkafka refuses a record at once with a broker's code only after a fatal error was raised, and
                    // that error's own callback may still be on its way: fail with it as the fatal cause it is.
                    FailStage(new KafkaException(new Confluent.Kafka.Error(refused.Error.Code, $"Producing refused after a fatal error: {refused.Error.Reason}", isFatal: true)));
                    return;
                }
            }

            EmitCompleted();
            PullIfRoom();
        }

        public override void OnUpstreamFinish()
        {
            if (_inFlight.Count == 0)
            {
                CompleteStage();
            }
        }

        public override void OnPull() => EmitCompleted();

        public override void PostStop()
        {
            if (_producer is null)
            {
                return;
            }

            var unsent = _producer.Flush(_stage._settings.FlushTimeout);
            if (unsent > 0)
            {
                Log.Error("{0} records were still unacknowledged when the producer closed after {1}.", unsent, _stage._settings.FlushTimeout);
            }

            _producer.Dispose();
        }

        private TopicPartition DestinationOf(ProducerRecord record)
        {
            var partition = record.Partition is { } p ? new Partition(p) : Partition.Any;
            if (_destination is null || _destination.Partition != partition || !string.Equals(_destination.Topic, record.Topic, StringComparison.Ordinal))
            {
                _destination = new TopicPartition(record.Topic, partition);
            }

            return _destination;
        }

        public void Reported(DeliverySlot slot)
        {
            _reports.Enqueue(slot);
            if (Interlocked.Exchange(ref _reportsScheduled, 1) == 0)
            {
                _reportsArrived();
            }
        }

        private void TakeReports()
        {
            // A full fence, not a volatile write: the emptiness check below must not be read before this reset is
            // visible, or a report enqueued in between would find the flag still set and wait for the next delivery.
            Interlocked.Exchange(ref _reportsScheduled, 0);
            var acknowledged = 0;
            while (_reports.TryDequeue(out var slot))
            {
                var (message, report) = (slot.Message!, slot.Report!);
                message.Deliveries[slot.Index] = report;
                slot.Message = null;
                slot.Report = null;
                _freeSlots.Push(slot);
                message.Remaining--;
                if (report.Error.IsError)
                {
                    message.Error ??= new KafkaProduceException(report.Topic, report.Error);
                }
                else
                {
                    acknowledged++;
                }
            }

            KafkaMetrics.RecordsProduced.Add(acknowledged);
            EmitCompleted();
            PullIfRoom();
        }

        private void EmitCompleted()
        {
            while (_inFlight.TryPeek(out var head) && head.Remaining == 0)
            {
                if (head.Error is not null)
                {
                    FailStage(head.Error);
                    return;
                }

                if (!IsAvailable(_stage.Out))
                {
                    return;
                }

                _inFlight.Dequeue();
                _recordsInFlight -= head.Weight;
                Push(_stage.Out, new ProducerResult<TPassThrough>(head.Deliveries, head.PassThrough));
            }

            if (_inFlight.Count == 0 && IsClosed(_stage.In))
            {
                CompleteStage();
            }
        }

        private void PullIfRoom()
        {
            if (_recordsInFlight < _stage._settings.Parallelism && !HasBeenPulled(_stage.In) && !IsClosed(_stage.In))
            {
                Pull(_stage.In);
            }
        }
    }
}
