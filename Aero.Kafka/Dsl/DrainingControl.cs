namespace Aero.Kafka.Dsl;

/// <summary>
/// A source's control together with the stream's completion, for <c>ToMaterialized(sink, DrainingControl&lt;T&gt;.Create)</c>:
/// one call drains in-flight records, commits them and closes the consumer.
/// </summary>
public sealed class DrainingControl<T>
{
    private DrainingControl(IConsumerControl control, Task<T> streamCompletion)
    {
        Control = control;
        StreamCompletion = streamCompletion;
    }

    public IConsumerControl Control { get; }

    public Task<T> StreamCompletion { get; }

    public static DrainingControl<T> Create(IConsumerControl control, Task<T> streamCompletion) => new(control, streamCompletion);

    public Task<T> DrainAndShutdownAsync(TimeSpan timeout) => Control.DrainAndShutdownAsync(StreamCompletion, timeout);
}
