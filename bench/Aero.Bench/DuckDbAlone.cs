using System.Diagnostics;
using System.Text.Json;
using Aero.Streams.Flights;
using Aero.Streams.Warehouse;
using Aero.Streams.Warehouse.DuckDb;

namespace Aero.Bench;

/// <summary>
/// The ceiling for any load into DuckDB: the same records, parsed beforehand and held in a DuckDB temporary table,
/// inserted by DuckDB itself into the same table (unique on event_id, so its index checks each row, as the load's
/// appends do) on one thread unless told otherwise (more threads add the asking thread's polling to the CPU time): no Kafka, no parsing,
/// no .NET per row. In one statement and one commit; or in transactions of a given size, each also storing an offset as
/// the load's do, which is the best a load committing that often can reach.
/// </summary>
internal static class DuckDbAlone
{
    /// <summary>The insert's wall-clock time and the process's CPU time during it.</summary>
    public static (TimeSpan Elapsed, TimeSpan Cpu) Insert(string directory, int count, IEnumerable<FlightRecord> records, int transactionRows, int threads = 1)
    {
        // One JSON document per line, which holds no tab (JSON escapes it): DuckDB's CSV reader, split on tabs, gives each line whole.
        var file = Path.Combine(directory, "records.ndjson");
        using (var writer = new FileStream(file, FileMode.Create))
        {
            foreach (var record in records)
            {
                JsonSerializer.Serialize(writer, record, FlightJsonContext.Default.FlightRecord);
                writer.WriteByte((byte)'\n');
            }
        }

        var settings = DuckDbSettings.Create().WithPath(Path.Combine(directory, $"alone-{transactionRows}.duckdb")).WithThreads(threads);
        var warehouse = DuckDbWarehouse.Open(settings);
        try
        {
            // The record's fields as json_transform's structure, typed as the warehouse created them.
            var types = warehouse.QueryAsync($"SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '{WarehouseTables.FlightsRaw}'")
                .GetAwaiter().GetResult().Rows.ToDictionary(row => (string)row[0]!, row => (string)row[1]!);
            var structure = "{" + string.Join(", ", RecordColumns.Select(c => $"\"{c.Name}\": \"{types[c.Name]}\"")) + "}";
            warehouse.QueryAsync($"""
                CREATE TEMP TABLE parsed AS
                SELECT row_number() OVER () AS n, {string.Join(", ", RecordColumns.Select(c => FlightColumns.Quoted(c.Name)))}, raw, 'flights-raw' AS kafka_topic, 0 AS kafka_partition,
                       source_position AS kafka_offset, now()::TIMESTAMP AS kafka_timestamp, now()::TIMESTAMP AS ingested_at
                FROM (SELECT raw, unnest(json_transform(raw, '{structure}'))
                      FROM read_csv('{file}', columns = {LineColumn}, delim = '\t', quote = '', escape = '', header = false))
                """).GetAwaiter().GetResult();

            // Only the insert is timed: the rows are already parsed and in memory.
            using var process = Process.GetCurrentProcess();
            var cpu = CpuClock.Start(process);
            var clock = Stopwatch.StartNew();
            var insert = $"INSERT INTO {WarehouseTables.FlightsRaw} ({FlightColumns.NameList}) SELECT {FlightColumns.NameList} FROM parsed";
            if (transactionRows >= count)
            {
                warehouse.QueryAsync(insert).GetAwaiter().GetResult();
            }
            else
            {
                for (var first = 0; first < count; first += transactionRows)
                {
                    warehouse.QueryAsync($"""
                        BEGIN;
                        {insert} WHERE n > {first} AND n <= {first + transactionRows};
                        INSERT INTO {WarehouseTables.Offsets} VALUES ('alone', 'flights-raw', 0, {first + transactionRows}, now()::TIMESTAMP)
                          ON CONFLICT DO UPDATE SET next_offset = excluded.next_offset;
                        COMMIT
                        """).GetAwaiter().GetResult();
                }
            }

            var elapsed = (clock.Elapsed, cpu.Elapsed);
            var stored = warehouse.CountAsync(WarehouseTables.FlightsRaw).GetAwaiter().GetResult();
            return stored == count ? elapsed : throw new InvalidOperationException($"DuckDB alone stored {stored:N0} of {count:N0} records");
        }
        finally
        {
            warehouse.DisposeAsync().AsTask().GetAwaiter().GetResult();
            File.Delete(file);
        }
    }

    private const string LineColumn = "{'raw': 'VARCHAR'}";

    // The columns the record itself fills: those before the raw JSON and the Kafka position.
    private static IEnumerable<FlightColumn> RecordColumns => FlightColumns.All.TakeWhile(c => c.Name != "raw");
}
