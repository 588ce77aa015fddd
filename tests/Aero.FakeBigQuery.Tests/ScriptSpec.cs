namespace Aero.FakeBigQuery.Tests;

/// <summary>
/// Issue 18 §2 (BigQuery engine): multi-statement queries and their transactions, as BigQuery documents them — the
/// jobs' BigQuery engine replaces a period's rows in one.
/// </summary>
public sealed class ScriptSpec : FakeSpec
{
    private async Task FlightsAsync()
    {
        await Api.CreateDatasetAsync("d");
        await Api.CreateTableAsync("d", "flights", """[{"name":"id","type":"STRING"},{"name":"n","type":"INTEGER"}]""");
        await Api.InsertAllAsync("d", "flights", """{"rows":[{"json":{"id":"a","n":1}},{"json":{"id":"b","n":2}},{"json":{"id":"c","n":3}}]}""");
    }

    [Fact]
    public async Task A_committed_transaction_should_apply_every_statement_and_the_script_return_its_last_rows()
    {
        await FlightsAsync();

        var script = await Api.QueryAsync("""
            CREATE TABLE IF NOT EXISTS d.big AS SELECT id, n FROM d.flights WHERE FALSE;
            BEGIN TRANSACTION;
            DELETE FROM d.big WHERE TRUE;
            INSERT INTO d.big SELECT id, n FROM d.flights WHERE n >= 2; -- a comment; with a semicolon
            COMMIT TRANSACTION;
            SELECT COUNT(*) AS c FROM d.big WHERE id != ';'
            """);
        var job = await Api.GetAsync($"bigquery/v2/projects/{P}/jobs/{script.Json!["jobReference"]!["jobId"]}");

        Assert.Equal(200, script.Status);
        Assert.Equal("2", script.Json["rows"]![0]!["f"]![0]!["v"]!.GetValue<string>());
        Assert.Equal("SCRIPT", job.Json!["statistics"]!["query"]!["statementType"]!.GetValue<string>());
        Assert.Equal(2, Server.RowCount(P, "d", "big"));
    }

    [Fact]
    public async Task A_failing_statement_should_fail_the_query_and_roll_back_its_whole_transaction()
    {
        await FlightsAsync();

        var script = await Api.QueryAsync("""
            INSERT INTO d.flights (id, n) VALUES ('before', 0);
            BEGIN TRANSACTION;
            DELETE FROM d.flights WHERE TRUE;
            INSERT INTO d.nope SELECT * FROM d.flights;
            COMMIT TRANSACTION
            """);

        Assert.Equal((404, "notFound"), (script.Status, script.ErrorReason));
        Assert.Contains("nope", script.ErrorMessage, StringComparison.Ordinal);
        // The statement before the transaction stays; the transaction's delete does not.
        Assert.Equal(["a", "b", "c", "before"], Server.Rows(P, "d", "flights").Select(r => (string)r["id"]!));
    }

    [Fact]
    public async Task A_script_that_ends_inside_its_transaction_should_be_rolled_back()
    {
        await FlightsAsync();

        var script = await Api.QueryAsync("BEGIN TRANSACTION; DELETE FROM d.flights WHERE n = 1;");

        Assert.Equal(200, script.Status);
        Assert.Equal(3, Server.RowCount(P, "d", "flights"));
    }

    [Theory]
    [InlineData("BEGIN TRANSACTION; CREATE TABLE d.other (id STRING); COMMIT TRANSACTION", "not supported inside a transaction")]
    [InlineData("BEGIN TRANSACTION; BEGIN TRANSACTION; COMMIT TRANSACTION", "Nested transactions")]
    [InlineData("DELETE FROM d.flights WHERE n = 1; COMMIT TRANSACTION", "without an active transaction")]
    public async Task A_script_breaking_the_transaction_rules_should_be_refused_and_change_nothing(string sql, string message)
    {
        await FlightsAsync();

        var script = await Api.QueryAsync(sql);

        Assert.Equal((400, "invalidQuery"), (script.Status, script.ErrorReason));
        Assert.Contains(message, script.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(sql.StartsWith("DELETE", StringComparison.Ordinal) ? 2 : 3, Server.RowCount(P, "d", "flights"));
    }

    [Fact]
    public async Task The_same_requestId_should_find_the_first_job_and_its_outcome_without_running_again()
    {
        await FlightsAsync();
        const string Insert = "BEGIN TRANSACTION; INSERT INTO d.flights (id, n) VALUES ('x', 9); COMMIT TRANSACTION";
        const string Failing = "BEGIN TRANSACTION; INSERT INTO d.flights (id, n) VALUES ('y', 9); SELECT * FROM d.nope; COMMIT TRANSACTION";

        var first = await Api.QueryAsync(Insert, ""","requestId":"aero-insert-1" """);
        var again = await Api.QueryAsync(Insert, ""","requestId":"aero-insert-1" """);
        var failed = await Api.QueryAsync(Failing, ""","requestId":"aero-failing-1" """);
        var failedAgain = await Api.QueryAsync(Failing, ""","requestId":"aero-failing-1" """);

        Assert.Equal(first.Json!["jobReference"]!["jobId"]!.GetValue<string>(), again.Json!["jobReference"]!["jobId"]!.GetValue<string>());
        Assert.Equal((404, "notFound"), (failed.Status, failed.ErrorReason));
        Assert.Equal((failed.Status, failed.ErrorMessage), (failedAgain.Status, failedAgain.ErrorMessage));
        Assert.Equal(4, Server.RowCount(P, "d", "flights"));
    }
}
