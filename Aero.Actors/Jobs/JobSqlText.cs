using System.Globalization;
using System.Text.RegularExpressions;
using Aero.Warehouse;
using Aero.Warehouse.BigQuery;
using Akka.Configuration;

namespace Aero.Actors.Jobs;

/// <summary>
/// A job's SQL: the text for an engine's dialect, with its parameters (<c>{period}</c>, <c>{period_start}</c>,
/// <c>{period_end}</c>) replaced by literals of that dialect, and <c>{flights}</c> by the table of transformed flights
/// to read: <c>flights</c>, or on BigQuery (no unique keys there) its view with one row per event, <c>flights_dedup</c>.
/// </summary>
public static partial class JobSqlText
{
    /// <summary>The key of the text used where a job gives none for the engine's own dialect.</summary>
    public const string DefaultDialect = "default";

    public static readonly IReadOnlyList<string> Dialects = ["duckdb", "postgres", "bigquery", "spark"];

    private static readonly string[] PeriodParameters = ["period_start", "period_end"];

    /// <summary>The parameter names in <paramref name="sql"/>; an unknown one, or an interval's under period = all, is refused naming <paramref name="key"/>.</summary>
    public static void Check(string sql, JobPeriodKind period, string key)
    {
        foreach (Match match in Parameter().Matches(sql))
        {
            var name = match.Groups[1].Value;
            if (name is "period" or "flights")
            {
                continue;
            }

            if (!PeriodParameters.Contains(name))
            {
                throw new ConfigurationException($"{key}: unknown parameter {{{name}}}; expected {{flights}}, {{period}}, {{period_start}} or {{period_end}}.");
            }

            if (period == JobPeriodKind.All)
            {
                throw new ConfigurationException($"{key}: {{{name}}} needs parameters.period = interval (this job covers every flight).");
            }
        }
    }

    /// <summary>The text for <paramref name="dialect"/>, or null when the job has none for it.</summary>
    public static string? For(IReadOnlyDictionary<string, string> sql, string dialect) =>
        sql.TryGetValue(dialect, out var text) || sql.TryGetValue(DefaultDialect, out text) ? text : null;

    /// <summary><paramref name="sql"/> with its parameters replaced by <paramref name="dialect"/>'s literals for <paramref name="period"/>.</summary>
    public static string Bind(string sql, JobPeriod period, string dialect) =>
        Parameter().Replace(sql, match => match.Groups[1].Value switch
        {
            "flights" => dialect == "bigquery" ? BigQueryWarehouse.FlightsView : WarehouseTables.Flights,
            "period" => dialect == "bigquery" ? BigQueryText(period.Key) : Text(period.Key),
            "period_start" => Timestamp(period.Start!.Value, dialect),
            _ => Timestamp(period.End!.Value, dialect),
        });

    /// <summary>A text literal, its quotes doubled (DuckDB, PostgreSQL and Spark read '' as one quote).</summary>
    public static string Text(string value) => $"'{value.Replace("'", "''", StringComparison.Ordinal)}'";

    /// <summary>A GoogleSQL text literal: backslash escapes, and no line break inside the quotes.</summary>
    public static string BigQueryText(string value) =>
        "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal) + "'";

    private static string Timestamp(DateTimeOffset time, string dialect)
    {
        var text = time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
        return dialect switch
        {
            "postgres" => $"TIMESTAMPTZ '{text}+00'",
            "bigquery" => $"TIMESTAMP '{text} UTC'",
            _ => $"TIMESTAMP '{text}'",
        };
    }

    [GeneratedRegex(@"\{([a-z_]+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Parameter();
}
