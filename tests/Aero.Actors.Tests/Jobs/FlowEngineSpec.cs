using Aero.Actors.Jobs;
using Aero.Actors.Jobs.Engines;
using Aero.Kafka.Embedded;
using Aero.Kafka.Settings;
using Aero.Streams.Extract;
using Aero.Warehouse;
using Aero.Warehouse.Tests;
using Akka.Streams;
using Confluent.Kafka;
using Xunit;

namespace Aero.Actors.Tests.Jobs;

/// <summary>
/// Issue 18 §1 (the flow): a flow's engine against the embedded Kafka through real clients and a DuckDB ledger. The
/// load is the spec's: it says which offsets the warehouse stored, so the spec decides when the load has caught up.
/// </summary>
public sealed class FlowEngineSpec : Akka.TestKit.Xunit2.TestKit, IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly EmbeddedKafka _kafka = EmbeddedKafka.Start();
    private readonly string _topic = "flights-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _folder = Directory.CreateTempSubdirectory("aero-flow-").FullName;
    private readonly DuckDbTestStore _store = new();
    private readonly Lock _gate = new();
    private IWarehouse _warehouse = null!;
    private Func<IReadOnlyDictionary<int, long>> _stored;
    private TaskCompletionSource _asked = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FlowEngineSpec()
    {
        _kafka.CreateTopic(_topic, 2);
        _kafka.CreateTopic(_topic + "-dlq", 1);
        // Unless a spec says otherwise, the load keeps up: it has stored everything in the topic.
        _stored = LogEnd;
    }

    public async Task InitializeAsync() => _warehouse = await _store.OpenAsync();

    public async Task DisposeAsync()
    {
        await _warehouse.DisposeAsync();
        _store.Dispose();
        Directory.Delete(_folder, recursive: true);
        _kafka.Dispose();
    }

    [Fact]
    public async Task A_flow_should_extract_each_file_once_by_its_content_whatever_it_is_called()
    {
        var engine = Engine();
        await File.WriteAllLinesAsync(Path.Combine(_folder, "day.ndjson"), Flights("A", 100));
        await File.WriteAllTextAsync(Path.Combine(_folder, "notes.txt"), "not flights");

        Assert.Equal(100, await engine.RunAsync(Request("incoming@1"), CancellationToken.None));
        Assert.Equal(100, Records());

        // The same content under another name, and new content under the first name.
        File.Move(Path.Combine(_folder, "day.ndjson"), Path.Combine(_folder, "day-renamed.ndjson"));
        await File.WriteAllLinesAsync(Path.Combine(_folder, "day.ndjson"), Flights("B", 40));
        Assert.Equal(40, await engine.RunAsync(Request("incoming@2"), CancellationToken.None));
        Assert.Equal(140, Records());

        Assert.Equal(0, await engine.RunAsync(Request("incoming@3"), CancellationToken.None));
        Assert.Equal(140, Records());
        var ledger = await _warehouse.QueryAsync("SELECT file, records_read, records_produced, run_id FROM _aero_flow_files ORDER BY run_id");
        Assert.Equal(
            [[Path.Combine(_folder, "day.ndjson"), 100L, 100L, "incoming@1"], [Path.Combine(_folder, "day.ndjson"), 40L, 40L, "incoming@2"]],
            ledger.Rows.Select(r => r.ToArray()));
    }

    [Fact]
    public async Task A_flow_should_end_only_once_the_warehouse_stored_everything_it_extracted()
    {
        var stored = new Dictionary<int, long>();
        Load(() => stored);
        await File.WriteAllLinesAsync(Path.Combine(_folder, "day.ndjson"), Flights("A", 100));

        var run = Engine().RunAsync(Request("incoming@1"), CancellationToken.None);
        await AskedAsync();
        var end = LogEnd();
        Assert.Equal(100, end.Values.Sum());
        Assert.False(run.IsCompleted);

        // One partition stored, the other behind by one record.
        Load(() => new Dictionary<int, long> { [0] = end[0], [1] = end[1] - 1 });
        await AskedAsync();
        Assert.False(run.IsCompleted);

        Load(() => end);
        Assert.Equal(100, await run.WaitAsync(Wait));
    }

    [Fact]
    public async Task A_retried_flow_should_wait_again_for_the_files_an_earlier_attempt_extracted()
    {
        Load(() => new Dictionary<int, long>());
        await File.WriteAllLinesAsync(Path.Combine(_folder, "day.ndjson"), Flights("A", 100));
        using var timeout = new CancellationTokenSource();
        var engine = Engine();

        var first = engine.RunAsync(Request("incoming@1"), timeout.Token);
        await AskedAsync();
        await timeout.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.WaitAsync(Wait));

        var second = engine.RunAsync(Request("incoming@1") with { Attempt = 2 }, CancellationToken.None);
        await AskedAsync();
        Assert.False(second.IsCompleted);
        Load(LogEnd);
        Assert.Equal(100, await second.WaitAsync(Wait));
        // Extracted once, by the first attempt.
        Assert.Equal(100, Records());
    }

    [Fact]
    public async Task A_file_still_being_written_should_be_left_for_a_later_run()
    {
        var path = Path.Combine(_folder, "day.ndjson");
        await File.WriteAllLinesAsync(path, Flights("A", 10));
        var engine = Engine();
        var flow = new FlowSource(_folder, "*.ndjson", TimeSpan.FromHours(1));

        Assert.Equal(0, await engine.RunAsync(Request("incoming@1") with { Flow = flow }, CancellationToken.None));
        Assert.Equal(0, Records());

        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddHours(-2));
        Assert.Equal(10, await engine.RunAsync(Request("incoming@2") with { Flow = flow }, CancellationToken.None));
        Assert.Equal(10, Records());
    }

    [Fact]
    public async Task A_file_with_more_rejected_records_than_allowed_should_fail_the_run_naming_it()
    {
        await File.WriteAllLinesAsync(Path.Combine(_folder, "good.ndjson"), Flights("A", 10));
        await File.WriteAllLinesAsync(Path.Combine(_folder, "bad.ndjson"), [.. Flights("B", 4), .. Enumerable.Repeat("not a flight", 6)]);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Engine().RunAsync(Request("incoming@1"), CancellationToken.None));

        Assert.Contains($"{Path.Combine(_folder, "bad.ndjson")}: 6 of 10 records rejected", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("good.ndjson", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{_topic}-dlq", error.Message, StringComparison.Ordinal);
        // The valid records went to the load all the same, and the dead letters to their topic with their reasons.
        Assert.Equal(14, Records());
        Assert.Equal(6, Records(_topic + "-dlq", 1));
    }

    private FlowEngine Engine()
    {
        var extract = ExtractSettings.Create().WithRawTopic(_topic).WithDeadLetterTopic(_topic + "-dlq").WithMaxRejectedShare(0.5);
        var load = new FlowLoad(
            extract,
            FileSourceSettings.Default,
            ProducerSettings.Create().WithBootstrapServers(_kafka.BootstrapServers),
            null,
            _ => Task.FromResult<IReadOnlyDictionary<int, long>>(LogEnd()),
            _ => Task.FromResult(Stored()),
            () => Sys.Materializer());
        return new FlowEngine(load, new JobRunStore((IWarehouseTransactions)_warehouse, _warehouse).FlowFiles, TimeSpan.FromMilliseconds(20), TimeProvider.System);
    }

    private JobRunRequest Request(string runId) =>
        new(runId, 1, "incoming", "", "", JobPeriod.AllKey, new TransactionStatement("SELECT 1")) { Flow = new FlowSource(_folder, "*", TimeSpan.Zero) };

    /// <summary>What the load has stored from now on; the next time the flow looks, <see cref="AskedAsync"/> completes.</summary>
    private void Load(Func<IReadOnlyDictionary<int, long>> stored)
    {
        lock (_gate)
        {
            _stored = stored;
            _asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    private Task AskedAsync()
    {
        lock (_gate)
        {
            return _asked.Task.WaitAsync(Wait);
        }
    }

    private IReadOnlyDictionary<int, long> Stored()
    {
        lock (_gate)
        {
            var stored = _stored();
            _asked.TrySetResult();
            return stored;
        }
    }

    private Dictionary<int, long> LogEnd() => Enumerable.Range(0, 2).ToDictionary(p => p, p => End(_topic, p));

    private long Records(string? topic = null, int partitions = 2) => Enumerable.Range(0, partitions).Sum(p => End(topic ?? _topic, p));

    private long End(string topic, int partition)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = _kafka.BootstrapServers, GroupId = "flow-spec" }).Build();
        return consumer.QueryWatermarkOffsets(new TopicPartition(topic, partition), TimeSpan.FromSeconds(15)).High.Value;
    }

    private static IEnumerable<string> Flights(string prefix, int count) => Enumerable.Range(0, count).Select(i =>
        $$"""{"flight_id":"{{prefix}}{{i}}","timestamp":"2001-01-{{1 + (i % 28):00}}T06:55:00Z","airline":"AA","origin":"JFK","destination":"LAX"}""");
}
