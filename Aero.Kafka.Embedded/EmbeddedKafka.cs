using Aero.Kafka.Internal;
using Confluent.Kafka;

namespace Aero.Kafka.Embedded;

/// <summary>
/// An in-process Kafka cluster: librdkafka's mock cluster, listening on loopback TCP ports that any Kafka client
/// in any process can use. It keeps every partition in memory and trims each to about 5 MiB (or 100,000 message
/// sets), so it is for development and tests, never for data that matters.
/// </summary>
public sealed unsafe class EmbeddedKafka : IDisposable
{
    /// <summary>What the mock cluster retains per partition before it drops the oldest messages.</summary>
    public const int RetainedBytesPerPartition = 5 * 1024 * 1024;

    /// <summary>The embedded cluster's group initial rebalance delay (Kafka's default is 3 s).</summary>
    public static readonly TimeSpan DefaultGroupInitialRebalanceDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Consumer properties for this cluster. It rebalances slowly with Kafka's group timeouts. And a fetch that finds
    /// no new records is answered only after <c>fetch.wait.max.ms</c>, even when records arrive meanwhile, where a real
    /// broker answers as soon as they do: Kafka's 500 ms default held a steady load's records about 300 ms longer
    /// (p50 507 ms against 212 ms at 20 ms, BENCHMARKS.md).
    /// </summary>
    public static IReadOnlyDictionary<string, string> ConsumerProperties { get; } = new Dictionary<string, string>
    {
        ["session.timeout.ms"] = "6000",
        ["heartbeat.interval.ms"] = "500",
        ["fetch.wait.max.ms"] = "20",
    };

    private readonly nint _client;
    private nint _cluster;

    private EmbeddedKafka(nint client, nint cluster, int brokerCount)
    {
        _client = client;
        _cluster = cluster;
        BrokerCount = brokerCount;
        BootstrapServers = System.Runtime.InteropServices.Marshal.PtrToStringUTF8(LibRdKafkaMock.Native.MockClusterBootstraps(cluster))
            ?? throw new InvalidOperationException("The mock cluster reported no bootstrap servers.");
    }

    /// <summary>The bootstrap string for clients, e.g. <c>127.0.0.1:39213,127.0.0.1:41777</c>.</summary>
    public string BootstrapServers { get; }

    public int BrokerCount { get; }

    /// <summary>Starts a cluster of <paramref name="brokers"/> brokers (ids 1..N).</summary>
    public static EmbeddedKafka Start(int brokers = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);
        // The mock cluster lives inside a client handle; a quiet producer handle that never sends anything.
        var client = LibRdKafka.NewClient([new("log_level", "3"), new("client.id", "aero-embedded-kafka")]);
        var cluster = LibRdKafkaMock.Native.MockClusterNew(client, brokers);
        if (cluster == 0)
        {
            LibRdKafka.DestroyClient(client);
            throw new InvalidOperationException("librdkafka could not start the mock cluster.");
        }

        var kafka = new EmbeddedKafka(client, cluster, brokers);
        // Kafka's 3 s waits for more members before a new group's first rebalance; a development broker should
        // hand out partitions at once. Change it with SetGroupInitialRebalanceDelay.
        kafka.SetGroupInitialRebalanceDelay(DefaultGroupInitialRebalanceDelay);
        return kafka;
    }

    /// <summary>How long a new consumer group waits for more members before its first rebalance.</summary>
    public void SetGroupInitialRebalanceDelay(TimeSpan delay) =>
        Check(LibRdKafkaMock.Native.MockGroupInitialRebalanceDelay(Cluster, (int)delay.TotalMilliseconds), "set the group initial rebalance delay");

    /// <summary>Creates a topic; the mock broker does not implement the CreateTopics admin API, so this is the way.</summary>
    public void CreateTopic(string topic, int partitions, int replicationFactor = 1)
    {
        fixed (byte* name = LibRdKafka.Utf8Z(topic))
        {
            Check(LibRdKafkaMock.Native.MockTopicCreate(Cluster, name, partitions, Math.Min(replicationFactor, BrokerCount)), $"create topic {topic}");
        }
    }

    /// <summary>Disconnects the broker's clients and refuses new connections (-1: every broker).</summary>
    public void SetBrokerDown(int brokerId) => Check(LibRdKafkaMock.Native.MockBrokerSetDown(Cluster, brokerId), $"set broker {brokerId} down");

    public void SetBrokerUp(int brokerId) => Check(LibRdKafkaMock.Native.MockBrokerSetUp(Cluster, brokerId), $"set broker {brokerId} up");

    /// <summary>Adds round-trip latency to every response of the broker.</summary>
    public void SetRoundTripTime(int brokerId, TimeSpan rtt) =>
        Check(LibRdKafkaMock.Native.MockBrokerSetRtt(Cluster, brokerId, (int)rtt.TotalMilliseconds), $"set rtt of broker {brokerId}");

    /// <summary>Makes the next requests of one kind fail with the given errors, one error per request.</summary>
    public void PushRequestErrors(KafkaApiKey api, params ErrorCode[] errors)
    {
        var codes = errors.Select(e => (int)e).ToArray();
        fixed (int* array = codes)
        {
            LibRdKafkaMock.Native.MockPushRequestErrorsArray(Cluster, (short)api, (nuint)codes.Length, array);
        }
    }

    public void SetPartitionLeader(string topic, int partition, int brokerId)
    {
        fixed (byte* name = LibRdKafka.Utf8Z(topic))
        {
            Check(LibRdKafkaMock.Native.MockPartitionSetLeader(Cluster, name, partition, brokerId), $"move leader of {topic}[{partition}]");
        }
    }

    /// <summary>Pins the coordinator of a consumer group (<paramref name="keyType"/> "group") or transactional id.</summary>
    public void SetCoordinator(string keyType, string key, int brokerId)
    {
        fixed (byte* type = LibRdKafka.Utf8Z(keyType))
        fixed (byte* k = LibRdKafka.Utf8Z(key))
        {
            Check(LibRdKafkaMock.Native.MockCoordinatorSet(Cluster, type, k, brokerId), $"set the {keyType} coordinator of {key}");
        }
    }

    /// <summary>From now on the cluster records every request it receives (see <see cref="RequestsReceived"/>).</summary>
    public void StartRequestTracking() => LibRdKafkaMock.Native.MockStartRequestTracking(Cluster);

    /// <summary>How many requests of one kind the cluster received since <see cref="StartRequestTracking"/>.</summary>
    public int RequestsReceived(KafkaApiKey api)
    {
        nuint count = 0;
        var requests = LibRdKafkaMock.Native.MockGetRequests(Cluster, &count);
        try
        {
            var matching = 0;
            for (nuint i = 0; i < count; i++)
            {
                if (LibRdKafkaMock.Native.MockRequestApiKey(requests[i]) == (short)api)
                {
                    matching++;
                }
            }

            return matching;
        }
        finally
        {
            if (requests is not null)
            {
                LibRdKafkaMock.Native.MockRequestDestroyArray(requests, count);
            }
        }
    }

    public void Dispose()
    {
        if (_cluster != 0)
        {
            LibRdKafkaMock.Native.MockClusterDestroy(_cluster);
            LibRdKafka.DestroyClient(_client);
            _cluster = 0;
        }
    }

    private nint Cluster => _cluster != 0 ? _cluster : throw new ObjectDisposedException(nameof(EmbeddedKafka));

    private static void Check(int error, string what)
    {
        if (error != 0)
        {
            throw new KafkaException(new Error((ErrorCode)error, $"The embedded Kafka could not {what}: {(ErrorCode)error}"));
        }
    }
}
