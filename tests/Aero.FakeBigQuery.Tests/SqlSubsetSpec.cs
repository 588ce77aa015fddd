namespace Aero.FakeBigQuery.Tests;

/// <summary>The GoogleSQL forms README.md says the fake translates, each run end to end through jobs.query.</summary>
public sealed class SqlSubsetSpec : FakeSpec
{
    [Theory]
    [InlineData("SELECT CAST('7' AS INT64) AS v", "7")]
    [InlineData("SELECT SAFE_CAST('x' AS INT64) IS NULL AS v", "true")]
    [InlineData("SELECT \"it\\'s\" AS v", "it's")]
    [InlineData("SELECT CAST(1.5 AS FLOAT64) AS v # trailing comment", "1.5")]
    [InlineData("SELECT CURRENT_TIMESTAMP() IS NOT NULL AS v", "true")]
    [InlineData("SELECT * EXCEPT (x) FROM (SELECT 1 AS x, 'kept' AS v)", "kept")]
    [InlineData("SELECT CAST('1.25' AS NUMERIC) AS v", "1.25")]
    // Issue 18 §2: the delay-propagation job's BigQuery text.
    [InlineData("SELECT CAST(TIMESTAMP_ADD(TIMESTAMP_TRUNC(TIMESTAMP '2025-01-01 10:42:00', HOUR), INTERVAL 1 HOUR) AS STRING) AS v", "2025-01-01 11:00:00+00")]
    public async Task A_translated_googlesql_form_should_run(string sql, string expected)
    {
        var response = await Api.QueryAsync(sql);

        Assert.True(response.Status == 200, response.Text);
        Assert.Equal(expected, response.Json!["rows"]![0]!["f"]![0]!["v"]!.GetValue<string>());
    }

    [Fact]
    public async Task Positional_parameters_should_bind_in_order()
    {
        var response = await Api.QueryAsync("SELECT ? + ? AS v", """
            ,"parameterMode":"POSITIONAL","queryParameters":[{"parameterType":{"type":"INT64"},"parameterValue":{"value":"40"}},{"parameterType":{"type":"INT64"},"parameterValue":{"value":"2"}}]
            """);

        Assert.Equal("42", response.Json!["rows"]![0]!["f"]![0]!["v"]!.GetValue<string>());
    }
}
