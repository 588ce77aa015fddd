namespace Aero.Warehouse.Views;

/// <summary>
/// The view over a job's output table that Looker reads, <c>{output}_latest</c> (DuckDB, PostgreSQL and BigQuery, where
/// jobs write): every row of the table (the job's <c>period</c> and its query's columns), then the period's bounds as
/// timestamps and the run that wrote it, the latest successful run of that period in <c>_aero_jobs</c>. A run replaces
/// its period's rows, so the table holds each period as its latest run wrote it; the view says which run that was and
/// when it finished, which the table alone cannot.
/// </summary>
public static class JobOutputViews
{
    public const string Suffix = "_latest";

    /// <summary>The columns the view adds after the output table's.</summary>
    public static IReadOnlyList<ViewField> RunFields { get; } =
    [
        new("period_start", ViewFieldKind.Dimension, ViewFieldType.Timestamp, "Start of the event time the row's period covers, UTC (none: the job covers every flight)"),
        new("period_end", ViewFieldKind.Dimension, ViewFieldType.Timestamp, "End of the event time the row's period covers (exclusive), UTC"),
        new("run_id", ViewFieldKind.Dimension, ViewFieldType.Text, "The run that wrote the row: job@due time"),
        new("run_due", ViewFieldKind.Dimension, ViewFieldType.Timestamp, "Due time of the run that wrote the row, UTC"),
        new("run_finished_at", ViewFieldKind.Dimension, ViewFieldType.Timestamp, "When the run that wrote the row finished, UTC"),
    ];

    public static string Name(string output) => output + Suffix;

    /// <summary>
    /// The statements that create the view over <paramref name="output"/> of <paramref name="job"/> on DuckDB or
    /// PostgreSQL, names unqualified (the warehouse's own schema); the table must exist. Dropped first: PostgreSQL
    /// cannot replace a view whose columns changed, which a job's changed SQL does. BigQuery creates
    /// <see cref="View"/> as a table of its dataset instead.
    /// </summary>
    public static IReadOnlyList<string> Create(string job, string output) =>
        [$"DROP VIEW IF EXISTS {Name(output)}", $"CREATE VIEW {Name(output)} AS {View(job, output, []).QueryIn(ViewDialect.DuckDb)}"];

    /// <summary>
    /// The view over <paramref name="output"/> with <paramref name="fields"/>: its query in the SQL DuckDB, PostgreSQL
    /// and BigQuery share, other tables named after <c>{tables}</c> (<see cref="WarehouseView.QueryIn"/>).
    /// </summary>
    public static WarehouseView View(string job, string output, IReadOnlyList<ViewField> fields) => new(
        Name(output),
        $"The output of job {job} ({output}), each row with its period and the run that wrote it",
        fields,
        // Times in _aero_jobs and periods are fixed-width UTC text (START/END, 24 characters each); the latest run of
        // a period is the one that finished last, which is the one whose rows the table holds (each run replaces its
        // period's rows as it finishes). A job's name is lower-case letters, digits and dashes: no quote to escape.
        $"""
        SELECT o.*,
          CASE WHEN o.period = 'all' THEN NULL ELSE CAST(SUBSTR(o.period, 1, 24) AS TIMESTAMP) END AS period_start,
          CASE WHEN o.period = 'all' THEN NULL ELSE CAST(SUBSTR(o.period, 26, 24) AS TIMESTAMP) END AS period_end,
          r.run_id, CAST(r.due AS TIMESTAMP) AS run_due, CAST(r.ended_at AS TIMESTAMP) AS run_finished_at
        FROM {"{tables}"}{output} o
        LEFT JOIN (
          SELECT period, run_id, due, ended_at, ROW_NUMBER() OVER (PARTITION BY period ORDER BY ended_at DESC, run_id DESC) AS newest
          FROM {"{tables}"}{JobRunsTable.Name} WHERE job = '{job}' AND state = 'succeeded') r
        ON r.period = o.period AND r.newest = 1
        """);

    /// <summary>
    /// The view as Looker is offered it, from its <paramref name="columns"/> as the warehouse reports them:
    /// <paramref name="measures"/> (the job's counts and sums) add up across rows, every other column is a dimension.
    /// </summary>
    public static WarehouseView Define(string job, string output, IReadOnlyList<QueryColumn> columns, IReadOnlyCollection<string> measures)
    {
        var names = columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var unknown = measures.Where(m => !names.Contains(m)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException($"aero.jobs.definitions.{job}.measures: {string.Join(", ", unknown)} is no column of {output} (its columns: {string.Join(", ", names)}).");
        }

        var run = RunFields.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var fields = columns.Select(c => run.GetValueOrDefault(c.Name) ?? new ViewField(
            c.Name,
            measures.Contains(c.Name) ? ViewFieldKind.Additive : ViewFieldKind.Dimension,
            FieldType(c.Type),
            c.Name == "period" ? "The run's period: all, or START/END of event time, UTC" : $"{c.Name} of job {job}"));
        return View(job, output, [.. fields]);
    }

    /// <summary>The kind of value a column holds, from the warehouse's name for its type (DuckDB's, PostgreSQL's or BigQuery's).</summary>
    private static ViewFieldType FieldType(string type)
    {
        var name = type.ToLowerInvariant();
        return name.Contains("timestamp", StringComparison.Ordinal) ? ViewFieldType.Timestamp
            : name == "date" ? ViewFieldType.Date
            : name.Contains("int", StringComparison.Ordinal) || name.Contains("double", StringComparison.Ordinal) || name.Contains("float", StringComparison.Ordinal)
                || name.Contains("real", StringComparison.Ordinal) || name.Contains("numeric", StringComparison.Ordinal) || name.Contains("decimal", StringComparison.Ordinal) ? ViewFieldType.Number
            : ViewFieldType.Text;
    }
}
