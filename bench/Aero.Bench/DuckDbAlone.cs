using System.Diagnostics;
using System.Text.Json;
using Aero.Flights;
using Aero.Warehouse;
using Aero.Warehouse.DuckDb;

namespace Aero.Bench;

/// <summary>
/// The ceiling for any load into DuckDB: the same records, parsed beforehand and held in a DuckDB temporary table,
/// inserted by DuckDB itself into a fresh <c>flights_raw</c> (as the warehouse creates it: no key index, and unlike
/// the load no lookup of stored events): no Kafka, no parsing, no .NET per row. In one statement and one commit, or in transactions of a
/// given size, each also storing an offset as the load's do, which is the best a load committing that often can reach.
/// The records are written once, as NDJSON, for every insert asked of it.
/// </summary>
internal sealed class DuckDbAlone : IDisposable
{
    private const string LineColumn = "{'raw': 'VARCHAR'}";
    private readonly string _directory;
    private readonly string _file;
    private readonly int _count;

    public DuckDbAlone(string directory, int count, IEnumerable<FlightRecord> records)
    {
        _directory = directory;
        _count = count;
        // One JSON document per line, which holds no tab (JSON escapes it): DuckDB's CSV reader, split on tabs, gives each line whole.
        _file = Path.Combine(directory, "records.ndjson");
        using var writer = new FileStream(_file, FileMode.Create);
        foreach (var record in records)
        {
            JsonSerializer.Serialize(writer, record, FlightJsonContext.Default.FlightRecord);
            writer.WriteByte((byte)'\n');
        }
    }

    // The columns the record itself fills: all but the raw JSON, the Kafka position and the load's time (newer fields
    // of the record come after those, so they are left out by name, not by place).
    private static readonly HashSet<string> LoadColumns = ["raw", "kafka_topic", "kafka_partition", "kafka_offset", "kafka_timestamp", "ingested_at"];

    private static IEnumerable<FlightColumn> RecordColumns => FlightColumns.All.Where(c => !LoadColumns.Contains(c.Name));

    /// <summary>
    /// The insert's wall-clock time and the process's CPU time during it, on <paramref name="threads"/> DuckDB threads
    /// (more than one adds the asking thread's polling to the CPU time).
    /// </summary>
    public (TimeSpan Elapsed, TimeSpan Cpu) Insert(int transactionRows, int threads = 1)
    {
        var settings = DuckDbSettings.Create().WithPath(Path.Combine(_directory, $"alone-{transactionRows}-{threads}.duckdb")).WithThreads(threads);
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
                      FROM read_csv('{_file}', columns = {LineColumn}, delim = '\t', quote = '', escape = '', header = false))
                """).GetAwaiter().GetResult();

            // Only the insert is timed: the rows are already parsed and in memory.
            using var process = Process.GetCurrentProcess();
            var cpu = CpuClock.Start(process);
            var clock = Stopwatch.StartNew();
            var insert = $"INSERT INTO {WarehouseTables.FlightsRaw} ({FlightColumns.NameList}) SELECT {FlightColumns.NameList} FROM parsed";
            if (transactionRows >= _count)
            {
                warehouse.QueryAsync(insert).GetAwaiter().GetResult();
            }
            else
            {
                for (var first = 0; first < _count; first += transactionRows)
                {
                    warehouse.QueryAsync($"""
                        BEGIN;
                        {insert} WHERE n > {first} AND n <= {first + transactionRows};
                        INSERT INTO {WarehouseTables.Offsets} (cluster_id, topic, kafka_partition, next_offset, updated_at) VALUES ('alone', 'flights-raw', 0, {first + transactionRows}, now()::TIMESTAMP)
                          ON CONFLICT DO UPDATE SET next_offset = excluded.next_offset;
                        COMMIT
                        """).GetAwaiter().GetResult();
                }
            }

            var elapsed = (clock.Elapsed, cpu.Elapsed);
            var stored = warehouse.CountAsync(WarehouseTables.FlightsRaw).GetAwaiter().GetResult();
            return stored == _count ? elapsed : throw new InvalidOperationException($"DuckDB alone stored {stored:N0} of {_count:N0} records");
        }
        finally
        {
            warehouse.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    public void Dispose() => File.Delete(_file);
}
