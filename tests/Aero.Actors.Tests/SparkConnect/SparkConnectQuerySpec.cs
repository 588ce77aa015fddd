using Aero.FakeSparkConnect;
using Xunit;

namespace Aero.Actors.Tests.SparkConnect;

/// <summary>Issue 18 §3: SQL through Spark Connect returns Arrow batches decoded into rows.</summary>
public sealed class SparkConnectQuerySpec
{
    [Fact]
    public async Task Sql_should_return_arrow_batches_decoded_into_rows()
    {
        await using var server = await FakeSparkConnectServer.StartAsync(new FakeSparkConnectOptions { RowsPerBatch = 5 });
        await using var client = SparkConnectSpecs.Client(server);

        var result = await client.ExecuteSqlAsync(
            "SELECT carrier, origin, departure_delay, flight_date FROM flights ORDER BY carrier, flight_date, origin", "job-1", CancellationToken.None);

        Assert.Equal(["carrier", "origin", "departure_delay", "flight_date"], result.Columns);
        Assert.Equal(FakeSparkConnectServer.FlightRows, result.RowCount);
        Assert.Equal(FakeSparkConnectServer.FlightRows, result.Rows.Count);
        Assert.Equal(["AA", "JFK", 5, new DateOnly(2024, 1, 1)], result.Rows[0]);
        Assert.Equal(["WN", "DAL", 95, new DateOnly(2024, 1, 5)], result.Rows[^1]);
        Assert.Null(result.Rows.Single(row => (string)row[0]! == "DL" && (string)row[1]! == "JFK")[2]);

        // Three batches of at most five rows, then ResultComplete, each sent once; the operation is released at the end.
        var operation = server.Operation(result.OperationId);
        Assert.Equal(3, operation.BatchesProduced);
        Assert.Equal(4, operation.SentResponseIds.Distinct().Count());
        Assert.True(operation.Released);
        var execute = Assert.Single(server.Requests, request => request.Rpc == "ExecutePlan");
        Assert.Equal(result.OperationId, execute.OperationId);
        Assert.Equal(["job-1"], execute.Tags);
        Assert.Equal(client.SessionId, execute.SessionId);
    }

    [Fact]
    public async Task Aggregates_should_keep_their_types_and_order()
    {
        await using var server = await FakeSparkConnectServer.StartAsync();
        await using var client = SparkConnectSpecs.Client(server);

        var result = await client.ExecuteSqlAsync(
            "SELECT carrier, count(*) AS flights, sum(departure_delay) AS total_delay, avg(departure_delay) AS average_delay FROM flights GROUP BY carrier ORDER BY carrier",
            "job-2",
            CancellationToken.None);

        Assert.Equal(
            [["AA", 3L, 44L, 44 / 3.0], ["DL", 3L, 17L, 8.5], ["UA", 3L, 62L, 62 / 3.0], ["WN", 3L, 109L, 109 / 3.0]],
            result.Rows.Select(row => row.ToArray()).ToArray());
    }

    [Fact]
    public async Task An_empty_result_should_carry_its_schema_and_no_rows()
    {
        await using var server = await FakeSparkConnectServer.StartAsync();
        await using var client = SparkConnectSpecs.Client(server);

        var result = await client.ExecuteSqlAsync("SELECT carrier, departure_delay FROM flights WHERE carrier = 'ZZ'", "job-3", CancellationToken.None);

        Assert.Equal(["carrier", "departure_delay"], result.Columns);
        Assert.Empty(result.Rows);
        Assert.Equal(0, result.RowCount);
    }

    [Fact]
    public async Task A_statement_should_run_once_and_replace_its_table()
    {
        await using var server = await FakeSparkConnectServer.StartAsync();
        await using var client = SparkConnectSpecs.Client(server);
        await client.ExecuteStatementAsync("CREATE TABLE delays_by_carrier (carrier VARCHAR, flights BIGINT)", "job-4", CancellationToken.None);

        const string Overwrite = "INSERT OVERWRITE TABLE delays_by_carrier SELECT carrier, count(*) FROM flights GROUP BY carrier";
        await client.ExecuteStatementAsync(Overwrite, "job-4", CancellationToken.None);
        await client.ExecuteStatementAsync(Overwrite, "job-4", CancellationToken.None);

        // Run twice, the overwrite leaves one row per carrier, not two.
        var rows = await server.QueryAsync("SELECT carrier, flights FROM delays_by_carrier ORDER BY carrier");
        Assert.Equal([["AA", 3L], ["DL", 3L], ["UA", 3L], ["WN", 3L]], rows.Select(row => row.ToArray()).ToArray());
        Assert.Equal(3, server.Requests.Count(request => request.Rpc == "ExecutePlan"));
    }

    [Fact]
    public async Task A_query_given_as_a_statement_should_return_its_rows()
    {
        await using var server = await FakeSparkConnectServer.StartAsync();
        await using var client = SparkConnectSpecs.Client(server);

        var result = await client.ExecuteStatementAsync("SELECT count(*) AS flights FROM flights", "job-5", CancellationToken.None);

        Assert.Equal([[(long)FakeSparkConnectServer.FlightRows]], result.Rows.Select(row => row.ToArray()).ToArray());
        // The command hands the query back, and it runs as a relation: two operations, both released.
        Assert.Equal(2, server.Requests.Count(request => request.Rpc == "ExecutePlan"));
        Assert.Equal(2, server.Requests.Count(request => request.Rpc == "ReleaseExecute"));
    }

    [Fact]
    public async Task The_version_probe_should_return_the_servers_version()
    {
        await using var server = await FakeSparkConnectServer.StartAsync(new FakeSparkConnectOptions { SparkVersion = "4.0.1" });
        await using var client = SparkConnectSpecs.Client(server);

        Assert.Equal("4.0.1", await client.SparkVersionAsync(CancellationToken.None));
    }
}
