using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Aero.Flights;
using Aero.Kafka;
using Aero.Kafka.Tests;
using Aero.Streams.Archive;
using Aero.Streams.Load;
using Aero.Streams.Tests.Load;
using Aero.Warehouse;
using Aero.Warehouse.Tests;
using Confluent.Kafka;
using DuckDB.NET.Data;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Streams.Tests.Archive;

/// <summary>The raw archive (issue 20 §1) on the embedded Kafka, into a local directory.</summary>
public sealed partial class RawArchiveSpec(ITestOutputHelper output) : KafkaSpecBase(output)
{
    private const int Partitions = 3;
    private readonly string _directory = Directory.CreateTempSubdirectory("aero-archive-").FullName;
    private readonly DuckDbTestStore _store = new();

    // As the node runs it: the archive's Kafka commits are advisory (its files are its progress), so a failed one is a warning.
    private static Aero.Kafka.Settings.CommitterSettings ArchiveCommitter => CommitterSettings.WithCommitFailure(Aero.Kafka.Settings.CommitFailure.Warn);

    private ArchiveSettings Settings => ArchiveSettings.Create()
        .WithDirectory(_directory)
        .WithMaxFileBytes(40_000)
        .WithMaxFileAge(TimeSpan.FromMilliseconds(500))
        .WithRowGroupRows(100);

    // issue 20 §1.1, §1.2: date-partitioned files whose ranges tile each partition's log, resumed from the files alone.
    [Fact]
    public async Task Archive_should_write_every_offset_once_into_date_partitioned_files_and_resume_after_its_last_file()
    {
        var logEnd = ProduceFlights(0, 3_000);
        var target = new LocalArchiveTarget(_directory);
        await ArchiveUntil(target, logEnd);

        // A new run in another consumer group resumes after the published files, not at any Kafka commit.
        logEnd = ProduceFlights(3_000, 600);
        await ArchiveUntil(target, logEnd, group: "another-archive-group");

        var files = await target.ListAsync(CancellationToken.None);
        AssertTiles(files, logEnd);
        Assert.Contains(files, f => f.Date == new DateOnly(2001, 1, 3));
        Assert.True(files.Count > 2 * Partitions, $"files roll by size and date: {files.Count} files");
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_directory, "_incoming")));

        // DuckDB reads the archive with its Hive partitioning: every record once, each under its event's date.
        var counts = QueryNumbers(
            "SELECT count(*), count(DISTINCT kafka_partition || '-' || kafka_offset), count(*) FILTER (WHERE CAST(\"timestamp\" AS DATE) <> \"date\") " +
            $"FROM read_parquet('{_directory}/*/*.parquet', hive_partitioning = true)");
        Assert.Equal([3_600L, 3_600L, 0L], counts);
    }

    // issue 20 §1.1: the raw archive keeps what the load dead-letters, bytes and reason, never dropping it.
    [Fact]
    public async Task A_record_that_is_not_a_flight_should_be_archived_with_its_bytes_and_reason()
    {
        ProduceFlights(0, 30);
        using (var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = Kafka.BootstrapServers }).Build())
        {
            producer.Produce(new TopicPartition(Topic, 1), new Message<byte[], byte[]> { Value = [0xC3, 0x28, 0x7B] });
            producer.Flush(TimeSpan.FromSeconds(10));
        }

        var logEnd = LogEnd(Partitions);
        await ArchiveUntil(new LocalArchiveTarget(_directory), logEnd);

        using var connection = OpenDuckDb();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT value, dead_letter_reason, event_id FROM read_parquet('{_directory}/*/*.parquet', hive_partitioning = true) WHERE dead_letter_reason IS NOT NULL";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal([0xC3, 0x28, 0x7B], ReadBytes(reader, 0));
        Assert.StartsWith("undecodable flight record", reader.GetString(1));
        Assert.True(reader.IsDBNull(2));
        Assert.False(reader.Read());
    }

    // issue 20 §1.2: a writer that crashed mid-file left only a temporary file, which no reader sees and the next owner deletes.
    [Fact]
    public async Task A_temporary_file_left_by_a_crash_should_never_be_visible_and_should_be_deleted_on_assign()
    {
        var logEnd = ProduceFlights(0, 300);
        var target = new LocalArchiveTarget(_directory);
        var crashed = await target.BeginAsync(Topic, 0, CancellationToken.None);
        await crashed.Stream.WriteAsync("PAR1 half a file"u8.ToArray());
        await crashed.Stream.FlushAsync();

        Assert.Empty(await target.ListAsync(CancellationToken.None));
        Assert.Empty(Directory.EnumerateFiles(_directory, "*.parquet", SearchOption.AllDirectories));
        await ArchiveUntil(target, logEnd);

        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_directory, "_incoming")));
        AssertTiles(await target.ListAsync(CancellationToken.None), logEnd);
    }

    // issue 20 §1.2: a hole between a partition's files is an alarm that stops the archive, never skipped over.
    [Fact]
    public async Task A_hole_between_files_should_stop_the_archive_with_an_alarm()
    {
        var logEnd = ProduceFlights(0, 1_500);
        var target = new LocalArchiveTarget(_directory);
        await ArchiveUntil(target, logEnd);
        var files = (await target.ListAsync(CancellationToken.None)).Where(f => f.Partition == 0).OrderBy(f => f.FirstOffset).ToList();
        Assert.True(files.Count >= 3, $"partition 0 has {files.Count} files");
        await target.DeleteAsync(files[1], CancellationToken.None);

        var control = RawArchive.Create(ConsumerSettings, ArchiveCommitter, Settings, Topic, target, NoWarehouseOffsets).Run(Materializer);
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => control.StreamCompletion.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains($"offsets {files[1].FirstOffset}-{files[1].LastOffset} are in no archive file", failure.ToString());
    }

    // issue 20 §1.2: a partition that moves to another member mid-file is not published by its old owner; the ranges still tile.
    [Fact]
    public async Task A_partition_moving_to_another_member_should_leave_every_offset_in_exactly_one_file()
    {
        var logEnd = ProduceFlights(0, 6_000);
        var target = new LocalArchiveTarget(_directory);
        var published = new ConcurrentBag<PublishedFile>();
        var reached = new ConcurrentDictionary<int, long>();
        void OnPublished(PublishedFile file)
        {
            published.Add(file);
            reached.AddOrUpdate(file.File.Partition, file.File.LastOffset + 1, (_, before) => Math.Max(before, file.File.LastOffset + 1));
        }

        // Slow to fill: files stay open long enough for the rebalance to find some.
        var settings = Settings.WithMaxFileAge(TimeSpan.FromSeconds(3));
        var first = RawArchive.Create(ConsumerSettings.WithMaxPollRecords(50), ArchiveCommitter, settings, Topic, target, NoWarehouseOffsets, OnPublished).Run(Materializer);
        await AwaitConditionAsync(() => Task.FromResult(!published.IsEmpty), TimeSpan.FromSeconds(30));
        var second = RawArchive.Create(ConsumerSettings, ArchiveCommitter, settings, Topic, target, NoWarehouseOffsets, OnPublished).Run(Materializer);
        await AwaitConditionAsync(
            () => Task.FromResult(logEnd.All(end => reached.GetValueOrDefault(end.Key) >= end.Value) || first.StreamCompletion.IsCompleted || second.StreamCompletion.IsCompleted),
            TimeSpan.FromSeconds(90));
        await Task.WhenAll(first.DrainAndShutdownAsync(TimeSpan.FromSeconds(20)), second.DrainAndShutdownAsync(TimeSpan.FromSeconds(20)));

        var files = await target.ListAsync(CancellationToken.None);
        AssertTiles(files, logEnd);
        Assert.Equal(files.Count, published.Count);
        Assert.All(files, f => Assert.Equal(f.LastOffset - f.FirstOffset + 1, ArchiveReader.CountAsync(target, f, CancellationToken.None).GetAwaiter().GetResult()));
    }

    // issue 20 §1 Tests: DuckDB reading the archive gives the same rows as flights_raw.
    [Fact]
    public async Task DuckDb_reading_the_archive_should_give_the_same_rows_as_flights_raw()
    {
        var logEnd = ProduceFlights(0, 2_000);
        var clusterId = KafkaCluster.GetClusterId(Kafka.BootstrapServers, null, TimeSpan.FromSeconds(10));
        await ArchiveUntil(new LocalArchiveTarget(_directory), logEnd);
        await using (var warehouse = await _store.OpenAsync())
        {
            await LoadUntil(warehouse, clusterId, Topic, logEnd);
        }

        var columns = string.Join(", ", FlightColumns.All.Where(c => c.Name is not ("raw" or "ingested_at")).Select(c => FlightColumns.Quoted(c.Name)));
        var archive = $"(SELECT {columns} FROM read_parquet('{_directory}/*/*.parquet', hive_partitioning = true))";
        var table = $"(SELECT {columns} FROM {WarehouseTables.FlightsRaw})";
        Assert.Equal(
            [2_000L, 2_000L, 0L, 0L],
            QueryNumbers($"SELECT (SELECT count(*) FROM {archive}), (SELECT count(*) FROM {table}), (SELECT count(*) FROM ({archive} EXCEPT {table})), (SELECT count(*) FROM ({table} EXCEPT {archive}))", _store.Path));
    }

    // issue 20 §1 Tests: a replay into a fresh warehouse stores every row once, with the event ids the extract gave them.
    [Fact]
    public async Task A_replay_into_a_fresh_warehouse_should_store_every_row_once_with_its_event_id()
    {
        var logEnd = ProduceFlights(0, 1_500);
        var target = new LocalArchiveTarget(_directory);
        await ArchiveUntil(target, logEnd);

        // Replayed twice: the second time stores nothing new.
        var replayed = Topic + "-replayed";
        Kafka.CreateTopic(replayed, Partitions);
        var files = await ArchiveReplay.FilesAsync(target, Topic, null, null, CancellationToken.None);
        Assert.Equal(1_500, await ArchiveReplay.RunAsync(target, files, replayed, ProducerSettings, Materializer, CancellationToken.None));
        Assert.Equal(1_500, await ArchiveReplay.RunAsync(target, files, replayed, ProducerSettings, Materializer, CancellationToken.None));
        var onlySecondDay = await ArchiveReplay.FilesAsync(target, Topic, new DateOnly(2001, 1, 2), new DateOnly(2001, 1, 2), CancellationToken.None);
        Assert.True(onlySecondDay.Count > 0 && onlySecondDay.All(f => f.Date == new DateOnly(2001, 1, 2)));

        var clusterId = KafkaCluster.GetClusterId(Kafka.BootstrapServers, null, TimeSpan.FromSeconds(10));
        var replayedEnd = LogEndOf(replayed);
        Assert.Equal(3_000, replayedEnd.Values.Sum());
        await using (var warehouse = await _store.OpenAsync())
        {
            await LoadUntil(warehouse, clusterId, replayed, replayedEnd);
            Assert.Equal(1_500, await warehouse.CountAsync(WarehouseTables.FlightsRaw));
        }

        var expected = string.Join(",", Enumerable.Range(0, 1_500).Select(i => $"'{FlightAt(i).EventId}'"));
        Assert.Equal([1_500L, 1_500L], QueryNumbers($"SELECT count(DISTINCT event_id), count(*) FILTER (WHERE event_id IN ({expected})) FROM {WarehouseTables.FlightsRaw}", _store.Path));
    }

    // issue 20 §1.3: retention deletes old files only once the warehouse stored them, oldest offsets first, and never a partition's newest.
    [Fact]
    public async Task Retention_should_delete_only_old_files_the_warehouse_stored_and_keep_the_files_tiled()
    {
        var logEnd = ProduceFlights(0, 3_000);
        var target = new LocalArchiveTarget(_directory);
        await ArchiveUntil(target, logEnd);
        var before = await target.ListAsync(CancellationToken.None);
        var today = new DateOnly(2001, 1, 4);

        // The warehouse has stored nothing: nothing goes, however old.
        var nothingStored = new ArchiveRetention(target, Settings.WithRetentionDays(1), Topic, NoWarehouseOffsets, Sys.Log);
        Assert.Empty(await nothingStored.PruneAsync(today, CancellationToken.None));

        // It stored everything: the files older than a day go, but each partition keeps its newest (where it resumes).
        var allStored = new ArchiveRetention(target, Settings.WithRetentionDays(1), Topic, _ => Task.FromResult<IReadOnlyDictionary<int, long>>(logEnd), Sys.Log);
        var deleted = await allStored.PruneAsync(today, CancellationToken.None);
        Assert.Equal(before.Where(f => f.Date < new DateOnly(2001, 1, 3)).OrderBy(f => f.RelativePath), deleted.OrderBy(f => f.RelativePath));
        var after = await target.ListAsync(CancellationToken.None);
        Assert.Equal(ArchiveProgress.NextOffsets(before, Topic), ArchiveProgress.NextOffsets(after, Topic));
        Assert.All(after.GroupBy(f => f.Partition), p => Assert.Empty(ArchiveProgress.Problems(p)));

        // Everything is past retention now: only each partition's newest file stays.
        Assert.Equal(after.Count - Partitions, (await allStored.PruneAsync(today.AddDays(10), CancellationToken.None)).Count);
        Assert.Equal(Partitions, (await target.ListAsync(CancellationToken.None)).Count);
    }

    // issue 20 §1.3: a warehouse that cannot say what it stored keeps every file, and the archive goes on.
    [Fact]
    public async Task Retention_should_keep_every_file_when_the_warehouse_cannot_answer()
    {
        var logEnd = ProduceFlights(0, 1_500);
        var target = new LocalArchiveTarget(_directory);
        await ArchiveUntil(target, logEnd);
        var before = await target.ListAsync(CancellationToken.None);
        var unreachable = new ArchiveRetention(target, Settings.WithRetentionDays(1), Topic, _ => throw new TimeoutException("the warehouse is down"), Sys.Log);

        await unreachable.MaybePruneAsync(CancellationToken.None);

        Assert.Equal(before.Count, (await target.ListAsync(CancellationToken.None)).Count);
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Each partition's files cover offsets 0 to its log end, each offset in exactly one file.</summary>
    private static void AssertTiles(IReadOnlyList<ArchiveFile> files, IReadOnlyDictionary<int, long> logEnd)
    {
        foreach (var (partition, end) in logEnd)
        {
            var ofPartition = files.Where(f => f.Partition == partition).ToList();
            Assert.Empty(ArchiveProgress.Problems(ofPartition));
            Assert.Equal(0, ofPartition.Min(f => f.FirstOffset));
            Assert.Equal(end - 1, ofPartition.Max(f => f.LastOffset));
        }
    }

    private async Task ArchiveUntil(IArchiveTarget target, IReadOnlyDictionary<int, long> logEnd, string? group = null)
    {
        var reached = new ConcurrentDictionary<int, long>(ArchiveProgress.NextOffsets(await target.ListAsync(CancellationToken.None), Topic));
        var control = RawArchive.Create(ConsumerSettings, ArchiveCommitter, group is null ? Settings : Settings with { GroupId = group }, Topic, target, NoWarehouseOffsets, file =>
            reached.AddOrUpdate(file.File.Partition, file.File.LastOffset + 1, (_, before) => Math.Max(before, file.File.LastOffset + 1))).Run(Materializer);
        await AwaitConditionAsync(
            () => Task.FromResult(logEnd.All(end => reached.GetValueOrDefault(end.Key) >= end.Value) || control.StreamCompletion.IsCompleted),
            TimeSpan.FromSeconds(60));
        await control.DrainAndShutdownAsync(TimeSpan.FromSeconds(20));
    }

    private async Task LoadUntil(IWarehouse warehouse, string clusterId, string topic, IReadOnlyDictionary<int, long> logEnd)
    {
        var reached = new ConcurrentDictionary<int, long>();
        using var processed = LoadSpecs.ProcessedTopic(ProducerSettings, topic);
        var load = WarehouseLoad.Create(ConsumerSettings.WithGroupId("load"), CommitterSettings, LoadSettings.Create(), topic, clusterId, warehouse, LoadSpecs.Transform, processed, batch =>
        {
            foreach (var ((_, partition), next) in batch.NextOffsets)
            {
                reached[partition] = next;
            }
        }).Run(Materializer);
        await AwaitConditionAsync(() => Task.FromResult(logEnd.All(e => reached.GetValueOrDefault(e.Key) >= e.Value) || load.StreamCompletion.IsCompleted), TimeSpan.FromSeconds(60));
        await load.DrainAndShutdownAsync(TimeSpan.FromSeconds(20));
    }

    private Dictionary<int, long> LogEndOf(string topic)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = Kafka.BootstrapServers, GroupId = "watermarks" }).Build();
        return Enumerable.Range(0, Partitions).ToDictionary(p => p, p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).High.Value);
    }

    private static Task<IReadOnlyDictionary<int, long>> NoWarehouseOffsets(CancellationToken cancellation) =>
        Task.FromResult<IReadOnlyDictionary<int, long>>(new Dictionary<int, long>());

    private static FlightRecord FlightAt(int i) =>
        VegaFlightMapping.ToRecord(new VegaFlight($"2001/01/0{1 + Math.Min(2, i / 1_000)} 06:55", i % 60, 1000, "LAX", "SFO"), "spec", i);

    private static DuckDBConnection OpenDuckDb(string? path = null)
    {
        var connection = new DuckDBConnection(path is null ? "Data Source=:memory:" : $"Data Source={path}");
        connection.Open();
        return connection;
    }

    private static long[] QueryNumbers(string sql, string? path = null)
    {
        using var connection = OpenDuckDb(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        return [.. Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToInt64(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))];
    }

    private static byte[] ReadBytes(System.Data.Common.DbDataReader reader, int column)
    {
        using var stream = reader.GetStream(column);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Flights over three event dates, in date order per partition as a real feed is.</summary>
    private Dictionary<int, long> ProduceFlights(int first, int count)
    {
        try
        {
            Kafka.CreateTopic(Topic, Partitions);
        }
        catch (KafkaException error) when (error.Error.Code == ErrorCode.TopicAlreadyExists)
        {
        }

        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = Kafka.BootstrapServers }).Build();
        for (var i = first; i < first + count; i++)
        {
            var flight = FlightAt(i);
            producer.Produce(new TopicPartition(Topic, i % Partitions), new Message<byte[], byte[]>
            {
                Key = Encoding.UTF8.GetBytes(flight.FlightId),
                Value = JsonSerializer.SerializeToUtf8Bytes(flight, FlightJsonContext.Default.FlightRecord),
            });
        }

        producer.Flush(TimeSpan.FromSeconds(10));
        return LogEnd(Partitions);
    }
}
