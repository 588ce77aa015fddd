using Aero.Kafka.Dsl;
using Akka;
using Akka.Actor;
using Akka.Event;
using Akka.Streams;

namespace Aero.Actors.Ingest;

/// <summary>
/// Hosts one Kafka-fed stream graph: materializes it when it starts, fails (for its supervisor) when the stream
/// fails, and drains it on <see cref="DrainPipeline"/>. If it is stopped without draining, it still shuts the
/// consumer down, which commits what the sink had confirmed.
/// </summary>
public sealed class PipelineActor : ReceiveActor
{
    private readonly string _name;
    private readonly Func<IMaterializer, DrainingControl<Done>> _start;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private DrainingControl<Done>? _control;
    private bool _drained;

    public PipelineActor(string name, Func<IMaterializer, DrainingControl<Done>> start)
    {
        _name = name;
        _start = start;
        Running();
    }

    public static Props Props(string name, Func<IMaterializer, DrainingControl<Done>> start) =>
        Akka.Actor.Props.Create(() => new PipelineActor(name, start));

    protected override void PreStart()
    {
        try
        {
            _control = _start(Context.Materializer());
        }
        catch (Exception error)
        {
            // As a stream that failed at once: the supervisor sees which pipeline, and why.
            throw new PipelineFailedException(_name, error);
        }

        _control.StreamCompletion.PipeTo(Self, success: _ => new StreamEnded(null), failure: error => new StreamEnded(error));
        _log.Info("Pipeline {0} started", _name);
    }

    protected override void PostStop()
    {
        if (!_drained && _control is not null)
        {
            _ = _control.Control.ShutdownAsync();
        }
    }

    private void Running()
    {
        Receive<DrainPipeline>(drain =>
        {
            _log.Info("Draining pipeline {0}", _name);
            var replyTo = Sender;
            _control!.DrainAndShutdownAsync(drain.Timeout).PipeTo(Self, success: _ => new Drained(replyTo, null), failure: error => new Drained(replyTo, error));
            Become(Draining);
        });
        Receive<StreamEnded>(ended =>
        {
            if (ended.Error is not null)
            {
                throw new PipelineFailedException(_name, ended.Error);
            }

            _log.Info("Pipeline {0} completed", _name);
            Context.Stop(Self);
        });
    }

    private void Draining()
    {
        Receive<StreamEnded>(_ => { });
        Receive<Drained>(drained =>
        {
            _drained = true;
            if (drained.Error is null)
            {
                drained.ReplyTo.Tell(PipelineDrained.Instance);
            }
            else
            {
                _log.Error(drained.Error, "Pipeline {0} did not drain cleanly", _name);
                drained.ReplyTo.Tell(new Status.Failure(drained.Error));
            }

            Context.Stop(Self);
        });
    }

    private sealed record StreamEnded(Exception? Error);

    private sealed record Drained(IActorRef ReplyTo, Exception? Error);
}
