using System.Globalization;
using Aero.Flights;
using Aero.Kafka.Messages;
using Xunit;

namespace Aero.Warehouse.Tests;

/// <summary>
/// What every warehouse promises (architecture §4, Delivery), asserted through <see cref="IWarehouse"/> only, so the
/// same cases run unchanged against each backend. A subclass opens a fresh, isolated store per test: each call to
/// <see cref="OpenAsync"/> in one test opens the same store again.
/// </summary>
public abstract partial class WarehouseConformance : IAsyncLifetime
{
    protected const string Cluster = "cluster-a";
    protected const string Topic = "flights-raw";

    /// <summary>Opens (or reopens) this test's store, creating its tables when missing.</summary>
    protected abstract Task<IWarehouse> OpenAsync();

    /// <summary>Before the first open: creates <c>flights_raw</c> with only <paramref name="columns"/>, holding <paramref name="row"/>, as an older version would have.</summary>
    protected abstract Task CreateOlderFlightsTableAsync(IReadOnlyList<FlightColumn> columns, LoadRow row);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Open_should_create_empty_tables()
    {
        await using var warehouse = await OpenAsync();

        Assert.Equal(0, await warehouse.CountAsync(WarehouseTables.FlightsRaw));
        Assert.Equal(0, await warehouse.CountAsync(WarehouseTables.DeadLetters));
        Assert.Equal(0, await warehouse.CountAsync(WarehouseTables.Offsets));
        Assert.Empty(await warehouse.StoredOffsetsAsync(Cluster, Topic));
        Assert.False(string.IsNullOrWhiteSpace(warehouse.Description));
    }

    [Fact]
    public async Task Reopening_should_keep_the_rows_and_offsets()
    {
        await using (var first = await OpenAsync())
        {
            await first.WriteAsync(Batch(Cluster, [Row("e1", 0, 0), Row("e2", 0, 1)], next: [(Topic, 0, 2)]));
        }

        await using var second = await OpenAsync();
        await using var third = await OpenAsync();

        Assert.Equal(2, await third.CountAsync(WarehouseTables.FlightsRaw));
        Assert.Equal(new Dictionary<int, long> { [0] = 2 }, await third.StoredOffsetsAsync(Cluster, Topic));
    }

    [Fact]
    public async Task A_batch_should_store_its_rows_with_their_values_and_the_next_offsets()
    {
        await using var warehouse = await OpenAsync();

        var result = await warehouse.WriteAsync(Batch(Cluster, [Row("e1", 0, 7, origin: "SFO", delay: -3.5), Row("e2", 1, 4, origin: "LAX", delay: 12)], next: [(Topic, 0, 8), (Topic, 1, 5)]));

        Assert.Equal(new WriteResult(2, 0, 0), result);
        Assert.Equal(new Dictionary<int, long> { [0] = 8, [1] = 5 }, await warehouse.StoredOffsetsAsync(Cluster, Topic));
        var rows = await warehouse.QueryAsync("SELECT event_id, origin, delay, kafka_topic, kafka_partition, kafka_offset, flight_id, source FROM flights_raw ORDER BY event_id");
        Assert.Equal(
            [("e1", "SFO", -3.5, Topic, 0L, 7L, "flight-e1", "spec"), ("e2", "LAX", 12.0, Topic, 1L, 4L, "flight-e2", "spec")],
            rows.Rows.Select(r => ((string)r[0]!, (string)r[1]!, Convert.ToDouble(r[2], CultureInfo.InvariantCulture), (string)r[3]!, Long(r[4]), Long(r[5]), (string)r[6]!, (string)r[7]!)));
    }

    // issue 15 §1: what BTS On-Time files carry reaches flights_raw in every backend.
    [Fact]
    public async Task A_row_should_store_cancellation_diversion_taxi_elapsed_times_and_delay_causes()
    {
        await using var warehouse = await OpenAsync();
        var row = Row("e1", 0, 0);
        var cancelled = row.Flight with
        {
            ArrivalDelay = 47, Cancelled = true, CancellationCode = "B", Diverted = false, TailNumber = "N610AE", TaxiOut = 17, TaxiIn = 12,
            ScheduledElapsed = 122, ActualElapsed = 125, AirTime = 96, CarrierDelay = 10, WeatherDelay = 20, NasDelay = 5, SecurityDelay = 0, LateAircraftDelay = 12,
        };
        var json = System.Text.Json.JsonSerializer.Serialize(cancelled, FlightJsonContext.Default.FlightRecord);

        await warehouse.WriteAsync(Batch(Cluster, [row with { Flight = cancelled, RawJson = json }, Row("e2", 0, 1)], next: [(Topic, 0, 2)]));

        var rows = await warehouse.QueryAsync(
            "SELECT event_id, cancelled, cancellation_code, diverted, tail_number, arrival_delay, taxi_out, taxi_in, scheduled_elapsed, actual_elapsed, air_time, " +
            "carrier_delay, weather_delay, nas_delay, security_delay, late_aircraft_delay FROM flights_raw ORDER BY event_id");
        var stored = rows.Rows[0];
        Assert.Equal([true, "B", false, "N610AE"], stored.Skip(1).Take(4).ToArray());
        Assert.Equal([47.0, 17, 12, 122, 125, 96, 10, 20, 5, 0, 12], stored.Skip(5).Select(v => Convert.ToDouble(v, CultureInfo.InvariantCulture)));
        Assert.All(rows.Rows[1].Skip(1), Assert.Null);
    }

    [Fact]
    public async Task A_record_without_a_Kafka_timestamp_should_be_stored_without_one()
    {
        await using var warehouse = await OpenAsync();

        await warehouse.WriteAsync(Batch(Cluster, [Row("e1", 0, 0), Row("e2", 0, 1) with { Position = new KafkaPosition(Topic, 0, 1, null) }], next: [(Topic, 0, 2)]));

        var rows = await warehouse.QueryAsync("SELECT event_id, kafka_timestamp IS NULL FROM flights_raw ORDER BY event_id");
        Assert.Equal([("e1", false), ("e2", true)], rows.Rows.Select(r => ((string)r[0]!, Convert.ToBoolean(r[1], CultureInfo.InvariantCulture))));
    }

    [Fact]
    public async Task The_same_event_id_again_should_store_nothing_new_and_count_as_already_stored()
    {
        await using var warehouse = await OpenAsync();
        await warehouse.WriteAsync(Batch(Cluster, [Row("e1", 0, 0), Row("e2", 0, 1)], next: [(Topic, 0, 2)]));

        // The same events produced again, at later offsets.
        var again = await warehouse.WriteAsync(Batch(Cluster, [Row("e1", 0, 2), Row("e2", 0, 3), Row("e3", 0, 4)], next: [(Topic, 0, 5)]));

        Assert.Equal(new WriteResult(1, 2, 0), again);
        Assert.Equal(3, await warehouse.CountAsync(WarehouseTables.FlightsRaw));
        Assert.Equal(new Dictionary<int, long> { [0] = 5 }, await warehouse.StoredOffsetsAsync(Cluster, Topic));
        Assert.Equal([0L, 1L, 4L], (await warehouse.QueryAsync("SELECT kafka_offset FROM flights_raw ORDER BY kafka_offset")).Rows.Select(r => Long(r[0])));
    }

    [Fact]
    public async Task Batches_handed_in_together_should_each_count_their_own_stored_events()
    {
        await using var warehouse = await OpenAsync();
        await warehouse.WriteAsync(Batch(Cluster, [Row("e1", 0, 0)], next: [(Topic, 0, 1)]));

        // Handed in without waiting, as partitions do: a backend may write them in one transaction.
        var results = await Task.WhenAll(
            warehouse.WriteAsync(Batch(Cluster, [Row("e2", 1, 0), Row("e3", 1, 1)], next: [(Topic, 1, 2)])),
            warehouse.WriteAsync(Batch(Cluster, [Row("e1", 2, 0), Row("e4", 2, 1)], next: [(Topic, 2, 2)])),
            warehouse.WriteAsync(Batch(Cluster, [Row("e5", 3, 0)], next: [(Topic, 3, 1)])));

        Assert.Equal([new WriteResult(2, 0, 0), new WriteResult(1, 1, 0), new WriteResult(1, 0, 0)], results);
        Assert.Equal(5, await warehouse.CountAsync(WarehouseTables.FlightsRaw));
        Assert.Equal(new Dictionary<int, long> { [0] = 1, [1] = 2, [2] = 2, [3] = 1 }, await warehouse.StoredOffsetsAsync(Cluster, Topic));
    }

    [Fact]
    public async Task The_same_event_id_twice_in_one_batch_should_be_stored_once_from_its_first_offset()
    {
        await using var warehouse = await OpenAsync();

        var result = await warehouse.WriteAsync(Batch(Cluster, [Row("e1", 0, 5), Row("e1", 0, 3), Row("e2", 0, 4)], next: [(Topic, 0, 6)]));

        Assert.Equal(new WriteResult(2, 1, 0), result);
        Assert.Equal(2, await warehouse.CountAsync(WarehouseTables.FlightsRaw));
        Assert.Equal(3L, Long((await warehouse.QueryAsync("SELECT kafka_offset FROM flights_raw WHERE event_id = 'e1'")).Rows.Single()[0]));
    }

    [Fact]
    public async Task Offsets_should_be_kept_per_cluster_topic_and_partition()
    {
        await using var warehouse = await OpenAsync();

        await warehouse.WriteAsync(Batch("cluster-a", [], next: [("t1", 0, 10), ("t1", 1, 11), ("t2", 0, 30)]));
        await warehouse.WriteAsync(Batch("cluster-b", [], next: [("t1", 0, 20)]));
        await warehouse.WriteAsync(Batch("cluster-a", [], next: [("t1", 0, 15)]));

        Assert.Equal(new Dictionary<int, long> { [0] = 15, [1] = 11 }, await warehouse.StoredOffsetsAsync("cluster-a", "t1"));
        Assert.Equal(new Dictionary<int, long> { [0] = 30 }, await warehouse.StoredOffsetsAsync("cluster-a", "t2"));
        Assert.Equal(new Dictionary<int, long> { [0] = 20 }, await warehouse.StoredOffsetsAsync("cluster-b", "t1"));
        Assert.Empty(await warehouse.StoredOffsetsAsync("cluster-b", "t2"));
        Assert.Equal(4, await warehouse.CountAsync(WarehouseTables.Offsets));
    }

    [Fact]
    public async Task Dead_letters_should_be_stored_with_their_reason_and_bytes_and_advance_the_offsets()
    {
        await using var warehouse = await OpenAsync();
        byte[] invalidUtf8 = [0xC3, 0x28, 0x7B, 0x00];
        var letters = new[]
        {
            new DeadLetter("{\"event_id\": \"trunc"u8.ToArray(), "undecodable flight record: truncated", new KafkaPosition(Topic, 0, 1, DateTime.UtcNow)),
            new DeadLetter(invalidUtf8, "undecodable flight record: not UTF-8", new KafkaPosition(Topic, 1, 0, DateTime.UtcNow)),
        };

        var result = await warehouse.WriteAsync(new LoadBatch(Cluster, [Row("e1", 0, 0)], letters, Next((Topic, 0, 2), (Topic, 1, 1))));

        Assert.Equal(new WriteResult(1, 0, 2), result);
        Assert.Equal(new Dictionary<int, long> { [0] = 2, [1] = 1 }, await warehouse.StoredOffsetsAsync(Cluster, Topic));
        var stored = await warehouse.QueryAsync("SELECT cluster_id, kafka_topic, kafka_partition, kafka_offset, reason, payload FROM dlq ORDER BY kafka_partition");
        Assert.Equal(2, stored.Rows.Count);
        for (var i = 0; i < letters.Length; i++)
        {
            var row = stored.Rows[i];
            Assert.Equal((Cluster, Topic, (long)letters[i].Position.Partition, letters[i].Position.Offset, letters[i].Reason), ((string)row[0]!, (string)row[1]!, Long(row[2]), Long(row[3]), (string)row[4]!));
            Assert.Equal(letters[i].Payload, Assert.IsType<byte[]>(row[5]));
        }
    }

    // issue 13 §2: a row the warehouse refuses fails no batch and loops no restart: it becomes a dead letter with the
    // warehouse's own reason, the batch is split until it is found, and the rest is stored and the offsets advance.
    [Fact]
    public async Task A_batch_with_a_row_the_warehouse_refuses_should_store_the_others_and_dead_letter_it_with_the_reason()
    {
        await using var warehouse = await OpenAsync();
        var refused = Refused("bad", 0, 3);
        var rows = new[] { Row("e0", 0, 0), Row("e1", 0, 1), Row("e2", 0, 2), refused, Row("e4", 0, 4), Row("e5", 0, 5), Row("e6", 0, 6) };
        var letter = new DeadLetter("{"u8.ToArray(), "undecodable flight record: spec", new KafkaPosition(Topic, 0, 7, DateTime.UtcNow));

        var result = await warehouse.WriteAsync(new LoadBatch(Cluster, rows, [letter], Next((Topic, 0, 8))));

        Assert.Equal(new WriteResult(6, 0, 2, Refused: 1), result);
        Assert.Equal(6, await warehouse.CountAsync(WarehouseTables.FlightsRaw));
        Assert.Equal(new Dictionary<int, long> { [0] = 8 }, await warehouse.StoredOffsetsAsync(Cluster, Topic));
        var letters = (await warehouse.QueryAsync("SELECT kafka_offset, reason, payload FROM dlq ORDER BY kafka_offset")).Rows;
        Assert.Equal([3L, 7L], letters.Select(r => Long(r[0])));
        Assert.StartsWith("refused by the warehouse: ", (string)letters[0][1]!, StringComparison.Ordinal);
        Assert.Contains(RefusalReason, (string)letters[0][1]!, StringComparison.Ordinal);
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(refused.RawJson), Assert.IsType<byte[]>(letters[0][2]));
    }

    // issue 13 §2: two refused rows in different halves, and a batch of them only.
    [Fact]
    public async Task Several_refused_rows_should_each_be_found_and_dead_lettered()
    {
        await using var warehouse = await OpenAsync();
        var rows = Enumerable.Range(0, 10).Select(o => o is 1 or 8 ? Refused($"bad{o}", 0, o) : Row($"e{o}", 0, o)).ToList();

        var result = await warehouse.WriteAsync(Batch(Cluster, rows, next: [(Topic, 0, 10)]));
        var alone = await warehouse.WriteAsync(Batch(Cluster, [Refused("bad10", 0, 10)], next: [(Topic, 0, 11)]));

        Assert.Equal((new WriteResult(8, 0, 2, Refused: 2), new WriteResult(0, 0, 1, Refused: 1)), (result, alone));
        Assert.Equal(8, await warehouse.CountAsync(WarehouseTables.FlightsRaw));
        Assert.Equal(new Dictionary<int, long> { [0] = 11 }, await warehouse.StoredOffsetsAsync(Cluster, Topic));
        Assert.Equal([1L, 8L, 10L], (await warehouse.QueryAsync("SELECT kafka_offset FROM dlq ORDER BY kafka_offset")).Rows.Select(r => Long(r[0])));
    }

    // issue 13 §2: stored offsets only move forward, whatever order writes land in.
    [Fact]
    public async Task An_older_next_offset_should_not_move_the_stored_one_back()
    {
        await using var warehouse = await OpenAsync();
        await warehouse.WriteAsync(Batch(Cluster, [], next: [(Topic, 0, 10), (Topic, 1, 4)]));

        await warehouse.WriteAsync(Batch(Cluster, [], next: [(Topic, 0, 6), (Topic, 1, 5)]));

        Assert.Equal(new Dictionary<int, long> { [0] = 10, [1] = 5 }, await warehouse.StoredOffsetsAsync(Cluster, Topic));
    }

    // issue 13 §2: a partition revoked from a writer whose last batch is still on its way: the new owner stored past
    // that batch's start, so the stale batch's rows, dead letters and offsets stay out; its other partitions go in.
    [Fact]
    public async Task A_stale_writers_batch_should_neither_move_offsets_back_nor_store_its_rows()
    {
        await using var warehouse = await OpenAsync();
        await warehouse.WriteAsync(Batch(Cluster, [.. Enumerable.Range(0, 10).Select(o => Row($"new-{o}", 0, o))], next: [(Topic, 0, 10)]));
        var staleLetter = new DeadLetter("{"u8.ToArray(), "undecodable flight record: spec", new KafkaPosition(Topic, 0, 8, DateTime.UtcNow));
        // Rows 5..7 as the stale writer decoded them (under other event ids, so nothing else would keep them out),
        // and partition 1, which that writer still owns.
        var stale = new LoadBatch(Cluster, [Row("stale-5", 0, 5), Row("stale-6", 0, 6), Row("stale-7", 0, 7), Row("own-0", 1, 0)], [staleLetter], Next((Topic, 0, 9), (Topic, 1, 1)));

        var result = await warehouse.WriteAsync(stale);

        Assert.Equal(new WriteResult(1, 0, 0, Fenced: 4), result);
        Assert.Equal(new Dictionary<int, long> { [0] = 10, [1] = 1 }, await warehouse.StoredOffsetsAsync(Cluster, Topic));
        Assert.Equal(11, await warehouse.CountAsync(WarehouseTables.FlightsRaw));
        Assert.Equal(0, await warehouse.CountAsync(WarehouseTables.DeadLetters));
        Assert.Empty((await warehouse.QueryAsync("SELECT event_id FROM flights_raw WHERE event_id LIKE 'stale-%'")).Rows);
    }

    // issue 13 §2: the new owner read where to start before the old owner's last write landed, so its first batch
    // overlaps that write: the records the old owner stored are left out, the rest are stored, none is lost.
    [Fact]
    public async Task A_batch_overlapping_what_another_writer_stored_should_store_the_rest()
    {
        await using var warehouse = await OpenAsync();
        await warehouse.WriteAsync(Batch(Cluster, [.. Enumerable.Range(0, 5).Select(o => Row($"old-{o}", 0, o))], next: [(Topic, 0, 5)]));

        var result = await warehouse.WriteAsync(Batch(Cluster, [.. Enumerable.Range(3, 7).Select(o => Row($"new-{o}", 0, o))], next: [(Topic, 0, 10)]));

        Assert.Equal(new WriteResult(5, 0, 0, Fenced: 2), result);
        Assert.Equal(new Dictionary<int, long> { [0] = 10 }, await warehouse.StoredOffsetsAsync(Cluster, Topic));
        var stored = (await warehouse.QueryAsync("SELECT event_id FROM flights_raw")).Rows.Select(r => (string)r[0]!).Order(StringComparer.Ordinal);
        Assert.Equal(["new-5", "new-6", "new-7", "new-8", "new-9", "old-0", "old-1", "old-2", "old-3", "old-4"], stored);
    }

    // issue 13 §2: a batch starting right at the stored offset is the owner's next one, and one into a partition
    // of another cluster or topic is not fenced by this one's offsets.
    [Fact]
    public async Task A_batch_starting_at_the_stored_offset_should_be_written()
    {
        await using var warehouse = await OpenAsync();
        await warehouse.WriteAsync(Batch(Cluster, [Row("e0", 0, 0), Row("e1", 0, 1)], next: [(Topic, 0, 2)]));

        var next = await warehouse.WriteAsync(Batch(Cluster, [Row("e2", 0, 2)], next: [(Topic, 0, 3)]));
        var otherCluster = await warehouse.WriteAsync(Batch("cluster-b", [Row("b0", 0, 0)], next: [(Topic, 0, 1)]));

        Assert.Equal((new WriteResult(1, 0, 0), new WriteResult(1, 0, 0)), (next, otherCluster));
        Assert.Equal(new Dictionary<int, long> { [0] = 3 }, await warehouse.StoredOffsetsAsync(Cluster, Topic));
    }

    [Fact]
    public async Task A_table_of_an_older_record_should_gain_the_missing_columns_as_nullable_and_keep_its_own()
    {
        // ingested_at is required today: added to an old table it must still be nullable, since old rows have none.
        string[] newer = ["status", "aircraft_type", "source_position", "ingested_at"];
        var retired = new FlightColumn("legacy_note", FlightColumnType.Text, true, (_, _) => "kept");
        var older = FlightColumns.All.Where(c => !newer.Contains(c.Name)).Append(retired).ToList();
        await CreateOlderFlightsTableAsync(older, Row("old", 0, 0, origin: "HNL"));

        await using var warehouse = await OpenAsync();
        await using (var again = await OpenAsync())
        {
            // A second open finds nothing left to add.
            Assert.Equal(1, await again.CountAsync(WarehouseTables.FlightsRaw));
        }

        var result = await warehouse.WriteAsync(Batch(Cluster, [Row("new", 0, 1, status: "landed", aircraftType: "A320", sourcePosition: 42)], next: [(Topic, 0, 2)]));

        Assert.Equal(new WriteResult(1, 0, 0), result);
        var rows = (await warehouse.QueryAsync("SELECT event_id, origin, status, aircraft_type, source_position, ingested_at, legacy_note FROM flights_raw ORDER BY event_id")).Rows;
        Assert.Equal(["new", "old"], rows.Select(r => (string)r[0]!));
        Assert.Equal([null, null, null, null], rows[1][2..6]);
        Assert.Equal(("HNL", "kept"), ((string)rows[1][1]!, (string)rows[1][6]!));
        Assert.Equal(("landed", "A320", 42L), ((string)rows[0][2]!, (string)rows[0][3]!, Long(rows[0][4])));
        Assert.NotNull(rows[0][5]);
        Assert.Null(rows[0][6]);
    }

    // issue 13 §3: the write fails where it is meant to, after its rows reached the warehouse (any failure would
    // do otherwise, such as one before anything was written), and leaves no rows and no offsets behind.
    [Fact]
    public async Task A_failing_write_should_store_neither_rows_nor_dead_letters_nor_offsets()
    {
        await using var warehouse = await OpenAsync();
        var rows = new[] { Row("e1", 0, 0), Row("e2", 0, 1) };
        var letter = new DeadLetter([1, 2, 3], "undecodable flight record: spec", new KafkaPosition(Topic, 0, 2, DateTime.UtcNow));
        var batch = new LoadBatch(Cluster, rows, [letter], Next((Topic, 0, 3)));

        var error = await Assert.ThrowsAnyAsync<Exception>(async () => await warehouse.WriteAsync(await BreakAfterItsRowsAsync(batch)));

        AssertIsTheBreak(error);
        Assert.Equal(0, await warehouse.CountAsync(WarehouseTables.FlightsRaw));
        Assert.Equal(DeadLettersLeftByAFailedWrite, await warehouse.CountAsync(WarehouseTables.DeadLetters));
        Assert.Empty(await warehouse.StoredOffsetsAsync(Cluster, Topic));

        // And the warehouse is still usable: the retry stores everything once.
        var retry = await warehouse.WriteAsync(batch);
        Assert.Equal(new WriteResult(2, 0, 1), retry);
        Assert.Equal((2L, 1L), (await warehouse.CountAsync(WarehouseTables.FlightsRaw), await warehouse.CountAsync(WarehouseTables.DeadLetters)));
        Assert.Equal(new Dictionary<int, long> { [0] = 3 }, await warehouse.StoredOffsetsAsync(Cluster, Topic));
    }

    /// <summary>
    /// The batch, made to fail its next write after its rows reached the warehouse. By default its dead letters lose
    /// their reason: a transactional backend writes them after the rows, and their table holds the reason NOT NULL.
    /// </summary>
    protected virtual Task<LoadBatch> BreakAfterItsRowsAsync(LoadBatch batch) =>
        Task.FromResult(batch with { DeadLetters = [.. batch.DeadLetters.Select(d => d with { Reason = null! })] });

    /// <summary>Asserts that <paramref name="error"/> is the failure <see cref="BreakAfterItsRowsAsync"/> caused, not another.</summary>
    protected abstract void AssertIsTheBreak(Exception error);

    /// <summary>Dead letters a failed write may leave (without offsets): none where a batch is one transaction.</summary>
    protected virtual long DeadLettersLeftByAFailedWrite => 0;

    [Fact]
    public async Task Concurrent_opens_and_writers_on_different_partitions_should_all_land()
    {
        const int batches = 20;
        const int rowsPerBatch = 25;
        var opened = await Task.WhenAll(OpenAsync(), OpenAsync());
        await using var first = opened[0];
        await using var second = opened[1];

        // Two nodes, each loading two partitions side by side as the load graph does.
        await Task.WhenAll(WriteAll(first, 0), WriteAll(first, 1), WriteAll(second, 2), WriteAll(second, 3));

        Assert.Equal(4 * batches * rowsPerBatch, await first.CountAsync(WarehouseTables.FlightsRaw));
        Assert.Equal(
            Enumerable.Range(0, 4).ToDictionary(p => p, _ => (long)batches * rowsPerBatch),
            await second.StoredOffsetsAsync(Cluster, Topic));

        static async Task WriteAll(IWarehouse warehouse, int partition)
        {
            await Task.Yield();
            for (var b = 0; b < batches; b++)
            {
                var rows = Enumerable.Range(b * rowsPerBatch, rowsPerBatch).Select(o => Row($"p{partition}-{o}", partition, o)).ToList();
                var result = await warehouse.WriteAsync(Batch(Cluster, rows, next: [(Topic, partition, (b + 1) * rowsPerBatch)]));
                Assert.Equal(new WriteResult(rowsPerBatch, 0, 0), result);
            }
        }
    }

    [Fact]
    public async Task Batches_handed_in_at_once_should_each_report_what_they_stored()
    {
        await using var warehouse = await OpenAsync();
        static List<LoadRow> Rows(string prefix, int partition, int count) =>
            [.. Enumerable.Range(0, count).Select(o => Row($"{prefix}-{o}", partition, o))];

        // The same 100 events reach partitions 0 and 1 (a record produced twice), and partition 2 has its own 50;
        // the three writes may share one transaction, but each result is its own batch's.
        var writes = await Task.WhenAll(
            Task.Run(() => warehouse.WriteAsync(Batch(Cluster, Rows("twice", 0, 100), next: [(Topic, 0, 100)]))),
            Task.Run(() => warehouse.WriteAsync(Batch(Cluster, Rows("twice", 1, 100), next: [(Topic, 1, 100)]))),
            Task.Run(() => warehouse.WriteAsync(Batch(Cluster, Rows("own", 2, 50), next: [(Topic, 2, 50)]))));

        Assert.Equal(100, writes[0].Inserted + writes[1].Inserted);
        Assert.Equal(100, writes[0].AlreadyStored + writes[1].AlreadyStored);
        Assert.Equal(new WriteResult(50, 0, 0), writes[2]);
        Assert.Equal(150, await warehouse.CountAsync(WarehouseTables.FlightsRaw));
        Assert.Equal(new Dictionary<int, long> { [0] = 100, [1] = 100, [2] = 50 }, await warehouse.StoredOffsetsAsync(Cluster, Topic));
    }

    // issue 13 §3: the writers cut different batches (identical ones hid a race behind identical job ids), in opposite
    // orders, big enough that their transactions overlap (a writer that locks rows in batch order deadlocks). The same
    // events reach two partitions (a record produced twice), so no fence keeps either writer out.
    [Fact]
    public async Task Two_writers_storing_the_same_events_at_once_should_store_each_once()
    {
        const int events = 10_000;
        var opened = await Task.WhenAll(OpenAsync(), OpenAsync());
        await using var first = opened[0];
        await using var second = opened[1];
        var ids = Enumerable.Range(0, events).Select(i => $"e{i}").ToList();

        var written = await Task.WhenAll(
            Task.Run(() => WriteAll(first, ids, partition: 0, batchSize: 2000)),
            Task.Run(() => WriteAll(second, Enumerable.Reverse(ids).ToList(), partition: 1, batchSize: 1500)));

        Assert.All(written, results => Assert.Equal(events, results.Sum(r => r.Inserted + r.AlreadyStored)));
        var inserted = written.Sum(results => results.Sum(r => r.Inserted));
        if (RacingWritersStoreOnce)
        {
            Assert.Equal(events, inserted);
        }
        else
        {
            Assert.InRange(inserted, events, 2 * events);
        }

        Assert.Equal(events, await first.CountAsync(WarehouseTables.FlightsRaw));
        Assert.Equal(new Dictionary<int, long> { [0] = events, [1] = events }, await second.StoredOffsetsAsync(Cluster, Topic));

        static async Task<List<WriteResult>> WriteAll(IWarehouse warehouse, List<string> ids, int partition, int batchSize)
        {
            var results = new List<WriteResult>();
            for (var from = 0; from < ids.Count; from += batchSize)
            {
                var rows = ids.Skip(from).Take(batchSize).Select((id, i) => Row(id, partition, from + i)).ToList();
                results.Add(await warehouse.WriteAsync(Batch(Cluster, rows, next: [(Topic, partition, from + rows.Count)])));
            }

            return results;
        }
    }

    /// <summary>
    /// Whether two writers racing on the same events store each exactly once; without unique keys (BigQuery) both may
    /// store one, and the warehouse's count (its dedupe view) still counts it once.
    /// </summary>
    protected virtual bool RacingWritersStoreOnce => true;

    protected static LoadRow Row(string eventId, int partition, long offset, string origin = "SFO", double? delay = null, string? status = null, string? aircraftType = null, long? sourcePosition = null, DateTime? timestamp = null)
    {
        var flight = new FlightRecord
        {
            EventId = eventId,
            FlightId = $"flight-{eventId}",
            Timestamp = timestamp ?? new DateTime(2001, 1, 1, 6, 55, 0, DateTimeKind.Utc),
            Origin = origin,
            Destination = "JFK",
            Delay = delay,
            Status = status,
            AircraftType = aircraftType,
            Source = "spec",
            SourcePosition = sourcePosition,
        };
        var json = System.Text.Json.JsonSerializer.Serialize(flight, FlightJsonContext.Default.FlightRecord);
        return new LoadRow(flight, json, new KafkaPosition(Topic, partition, offset, new DateTime(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc)));
    }

    /// <summary>
    /// A row this warehouse refuses to store (by default one without a flight id, which every table holds NOT NULL; the
    /// decoder keeps such records out, so only a row that got past it reaches the warehouse's refusal).
    /// </summary>
    protected virtual LoadRow Refused(string eventId, int partition, long offset)
    {
        var row = Row(eventId, partition, offset);
        return row with { Flight = row.Flight with { FlightId = null! } };
    }

    /// <summary>What this warehouse's reason for refusing <see cref="Refused"/> says.</summary>
    protected abstract string RefusalReason { get; }

    protected static LoadBatch Batch(string clusterId, IReadOnlyList<LoadRow> rows, (string Topic, int Partition, long Next)[] next) =>
        new(clusterId, rows, [], Next(next));

    protected static Dictionary<(string Topic, int Partition), long> Next(params (string Topic, int Partition, long Next)[] next) =>
        next.ToDictionary(n => (n.Topic, n.Partition), n => n.Next);

    // Backends differ in the CLR type of an integer column (int, long, decimal); the value is what matters.
    private static long Long(object? value) => Convert.ToInt64(value, CultureInfo.InvariantCulture);
}
