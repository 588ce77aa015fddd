using System.Runtime.InteropServices;
using System.Text;

namespace Aero.Streams.Kafka.Embedded;

/// <summary>
/// The few librdkafka C functions Confluent.Kafka does not expose: the mock cluster API and the cluster id.
/// They are bound from the very native library file Confluent.Kafka loaded, so both sides share one
/// librdkafka (on Debian 12 that is the package's centos8 build, the default one needs libsasl2.so.3).
/// </summary>
internal static unsafe class LibRdKafka
{
    private const int ErrorStringSize = 512;

    private static readonly Lazy<Exports> Functions = new(Bind, LazyThreadSafetyMode.ExecutionAndPublication);

    internal sealed class Exports
    {
        public required string LibraryPath { get; init; }
        public required delegate* unmanaged<nint> ConfNew { get; init; }
        public required delegate* unmanaged<nint, byte*, byte*, byte*, nuint, int> ConfSet { get; init; }
        public required delegate* unmanaged<int, nint, byte*, nuint, nint> New { get; init; }
        public required delegate* unmanaged<nint, void> Destroy { get; init; }
        public required delegate* unmanaged<nint, int, nint> ClusterId { get; init; }
        public required delegate* unmanaged<nint, nint, void> MemFree { get; init; }
        public required delegate* unmanaged<nint, int, nint> MockClusterNew { get; init; }
        public required delegate* unmanaged<nint, void> MockClusterDestroy { get; init; }
        public required delegate* unmanaged<nint, nint> MockClusterBootstraps { get; init; }
        public required delegate* unmanaged<nint, byte*, int, int, int> MockTopicCreate { get; init; }
        public required delegate* unmanaged<nint, int, int> MockBrokerSetDown { get; init; }
        public required delegate* unmanaged<nint, int, int> MockBrokerSetUp { get; init; }
        public required delegate* unmanaged<nint, int, int, int> MockBrokerSetRtt { get; init; }
        public required delegate* unmanaged<nint, short, nuint, int*, void> MockPushRequestErrorsArray { get; init; }
        public required delegate* unmanaged<nint, byte*, int, int, int> MockPartitionSetLeader { get; init; }
        public required delegate* unmanaged<nint, byte*, byte*, int, int> MockCoordinatorSet { get; init; }
        public required delegate* unmanaged<nint, int, int> MockGroupInitialRebalanceDelay { get; init; }
        public required delegate* unmanaged<nint, void> MockStartRequestTracking { get; init; }
        public required delegate* unmanaged<nint, nuint*, nint*> MockGetRequests { get; init; }
        public required delegate* unmanaged<nint, short> MockRequestApiKey { get; init; }
        public required delegate* unmanaged<nint*, nuint, void> MockRequestDestroyArray { get; init; }
    }

    internal static Exports Native => Functions.Value;

    /// <summary>Creates a bare librdkafka client handle (type 0 = producer) from librdkafka properties.</summary>
    internal static nint NewClient(IEnumerable<KeyValuePair<string, string>> properties)
    {
        var native = Native;
        var conf = native.ConfNew();
        var error = stackalloc byte[ErrorStringSize];
        foreach (var (key, value) in properties)
        {
            fixed (byte* k = Utf8Z(key))
            fixed (byte* v = Utf8Z(value))
            {
                if (native.ConfSet(conf, k, v, error, ErrorStringSize) != 0)
                {
                    // The value is left out on purpose: it may be a password.
                    throw new ArgumentException($"librdkafka refused property '{key}': {Marshal.PtrToStringUTF8((nint)error)}");
                }
            }
        }

        var handle = native.New(0, conf, error, ErrorStringSize);
        if (handle == 0)
        {
            throw new InvalidOperationException($"librdkafka could not create a client: {Marshal.PtrToStringUTF8((nint)error)}");
        }

        return handle;
    }

    internal static void DestroyClient(nint client) => Native.Destroy(client);

    /// <summary>The cluster id the client sees, or null when no broker answered within the timeout.</summary>
    internal static string? ClusterId(nint client, TimeSpan timeout)
    {
        var native = Native;
        var id = native.ClusterId(client, (int)timeout.TotalMilliseconds);
        if (id == 0)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(id);
        }
        finally
        {
            native.MemFree(client, id);
        }
    }

    internal static byte[] Utf8Z(string value) => Encoding.UTF8.GetBytes(value + '\0');

    private static Exports Bind()
    {
        // Make Confluent.Kafka load its native library first, then bind to the same file.
        _ = Confluent.Kafka.Library.Version;
        var path = LoadedLibraryPath()
            ?? throw new InvalidOperationException("Confluent.Kafka loaded no librdkafka that can be found in /proc/self/maps.");
        var library = NativeLibrary.Load(path);
        nint Export(string name) => NativeLibrary.TryGetExport(library, name, out var address)
            ? address
            : throw new EntryPointNotFoundException($"{path} does not export {name}; the embedded Kafka needs librdkafka's mock cluster API.");

        return new Exports
        {
            LibraryPath = path,
            ConfNew = (delegate* unmanaged<nint>)Export("rd_kafka_conf_new"),
            ConfSet = (delegate* unmanaged<nint, byte*, byte*, byte*, nuint, int>)Export("rd_kafka_conf_set"),
            New = (delegate* unmanaged<int, nint, byte*, nuint, nint>)Export("rd_kafka_new"),
            Destroy = (delegate* unmanaged<nint, void>)Export("rd_kafka_destroy"),
            ClusterId = (delegate* unmanaged<nint, int, nint>)Export("rd_kafka_clusterid"),
            MemFree = (delegate* unmanaged<nint, nint, void>)Export("rd_kafka_mem_free"),
            MockClusterNew = (delegate* unmanaged<nint, int, nint>)Export("rd_kafka_mock_cluster_new"),
            MockClusterDestroy = (delegate* unmanaged<nint, void>)Export("rd_kafka_mock_cluster_destroy"),
            MockClusterBootstraps = (delegate* unmanaged<nint, nint>)Export("rd_kafka_mock_cluster_bootstraps"),
            MockTopicCreate = (delegate* unmanaged<nint, byte*, int, int, int>)Export("rd_kafka_mock_topic_create"),
            MockBrokerSetDown = (delegate* unmanaged<nint, int, int>)Export("rd_kafka_mock_broker_set_down"),
            MockBrokerSetUp = (delegate* unmanaged<nint, int, int>)Export("rd_kafka_mock_broker_set_up"),
            MockBrokerSetRtt = (delegate* unmanaged<nint, int, int, int>)Export("rd_kafka_mock_broker_set_rtt"),
            MockPushRequestErrorsArray = (delegate* unmanaged<nint, short, nuint, int*, void>)Export("rd_kafka_mock_push_request_errors_array"),
            MockPartitionSetLeader = (delegate* unmanaged<nint, byte*, int, int, int>)Export("rd_kafka_mock_partition_set_leader"),
            MockCoordinatorSet = (delegate* unmanaged<nint, byte*, byte*, int, int>)Export("rd_kafka_mock_coordinator_set"),
            MockGroupInitialRebalanceDelay = (delegate* unmanaged<nint, int, int>)Export("rd_kafka_mock_group_initial_rebalance_delay_ms"),
            MockStartRequestTracking = (delegate* unmanaged<nint, void>)Export("rd_kafka_mock_start_request_tracking"),
            MockGetRequests = (delegate* unmanaged<nint, nuint*, nint*>)Export("rd_kafka_mock_get_requests"),
            MockRequestApiKey = (delegate* unmanaged<nint, short>)Export("rd_kafka_mock_request_api_key"),
            MockRequestDestroyArray = (delegate* unmanaged<nint*, nuint, void>)Export("rd_kafka_mock_request_destroy_array"),
        };
    }

    private static string? LoadedLibraryPath()
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps))
        {
            return null;
        }

        return File.ReadLines(maps)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 6)
            .Select(fields => string.Join(' ', fields.Skip(5)))
            .FirstOrDefault(path => Path.GetFileName(path).Contains("librdkafka", StringComparison.Ordinal));
    }
}
