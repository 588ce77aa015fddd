using Aero.Kafka.Dsl;
using Aero.Kafka.Messages;
using Aero.Kafka.Settings;
using Akka;
using Akka.Streams.Dsl;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Kafka.Tests;

/// <summary>issue 14 §3: every log line names its real source, for the consumer that is the consumer and its group.</summary>
public sealed class ConsumerLogSourceSpec(ITestOutputHelper output) : KafkaSpecBase(output)
{
    [Fact]
    public async Task The_consumer_log_lines_should_name_the_consumer_and_its_group()
    {
        Produce(10, 1);
        var infos = CreateTestProbe();
        Sys.EventStream.Subscribe(infos.Ref, typeof(Akka.Event.Info));
        var control = KafkaConsumer.CommittableSource(ConsumerSettings, Subscription.ToTopics(Topic))
            .Select(message => (ICommittable)message.Offset)
            .ToMaterialized(Committer.Sink(CommitterSettings), DrainingControl<Done>.Create)
            .Run(Materializer);

        var assigned = (Akka.Event.Info)await infos.FishForMessageAsync(
            m => m is Akka.Event.Info i && i.Message.ToString()!.StartsWith("Assigned", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        await control.DrainAndShutdownAsync(TimeSpan.FromSeconds(20));

        Assert.StartsWith($"Kafka consumer (group {Group})", assigned.LogSource, StringComparison.Ordinal);
    }
}
