using Aero.Actors.Jobs.SparkConnect;
using Aero.FakeSparkConnect;
using Xunit;

namespace Aero.Actors.Tests.SparkConnect;

/// <summary>Issue 18 §3: server errors surface with their Spark class; a message larger than 4 MB arrives.</summary>
public sealed class SparkConnectErrorSpec
{
    [Theory]
    [InlineData("SELECT * FROM no_such_table", "TABLE_OR_VIEW_NOT_FOUND", "42P01", "no_such_table")]
    [InlineData("SELEC carrier FROM flights", "PARSE_SYNTAX_ERROR", "42601", "SELEC")]
    [InlineData("SELECT no_such_column FROM flights", "UNRESOLVED_COLUMN.WITHOUT_SUGGESTION", "42703", "no_such_column")]
    public async Task Server_errors_should_surface_with_their_class(string sql, string errorClass, string sqlState, string named)
    {
        await using var server = await FakeSparkConnectServer.StartAsync();
        await using var client = SparkConnectSpecs.Client(server);

        var error = await Assert.ThrowsAsync<SparkConnectException>(() => client.ExecuteSqlAsync(sql, "job-12", CancellationToken.None));

        Assert.Equal(errorClass, error.ErrorClass);
        Assert.Equal(sqlState, error.SqlState);
        Assert.Equal("Internal", error.GrpcStatus);
        Assert.Contains(named, error.ServerMessage, StringComparison.Ordinal);
        Assert.Contains($"[{errorClass}]", error.Message, StringComparison.Ordinal);
        // The full message came from FetchErrorDetails, by the error id in the ErrorInfo.
        Assert.Contains(server.Requests, request => request.Rpc == "FetchErrorDetails");
    }

    [Fact]
    public async Task A_result_message_larger_than_4_MB_should_arrive()
    {
        // 6,000 rows of 1,000 characters in one batch: one response of about 6 MB.
        const string Large = "SELECT range AS n, repeat('x', 1000) AS padding FROM range(6000)";
        await using var server = await FakeSparkConnectServer.StartAsync(new FakeSparkConnectOptions { RowsPerBatch = 10_000 });
        await using var client = SparkConnectSpecs.Client(server);

        var result = await client.ExecuteSqlAsync(Large, "job-13", CancellationToken.None);

        Assert.Equal(6000, result.RowCount);
        Assert.Equal(1, server.Operation(result.OperationId).BatchesProduced);
        Assert.All(result.Rows, row => Assert.Equal(1000, ((string)row[1]!).Length));

        // The same response against gRPC's default limit of 4 MiB: refused, so it was larger than that.
        var settings = SparkConnectSpecs.Settings(server).WithMaxReceiveMessageSize(4L * 1024 * 1024);
        await using var small = new SparkConnectClient(settings, new RecordingLog());
        var error = await Assert.ThrowsAsync<SparkConnectException>(() => small.ExecuteSqlAsync(Large, "job-13", CancellationToken.None));
        Assert.Equal("ResourceExhausted", error.GrpcStatus);
    }
}
