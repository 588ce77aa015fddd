using System.Globalization;
using Aero.Warehouse;

namespace Aero.Actors.Jobs;

/// <summary>
/// The flows' ledger of extracted files in the warehouse's <c>_aero_flow_files</c>, beside <c>_aero_jobs</c> and in the
/// same dialect (<see cref="JobRunStore.FlowFiles"/>): a file is recorded once per flow and content, by a conditional
/// insert (a MERGE on BigQuery), so of two coordinators recording the same file one row remains.
/// </summary>
public sealed class FlowFileStore
{
    public const string Table = FlowFilesTable.Name;

    private readonly Func<string, CancellationToken, Task<long>> _execute;
    private readonly IWarehouseQuery _query;
    private readonly bool _bigQuery;

    internal FlowFileStore(Func<string, CancellationToken, Task<long>> execute, IWarehouseQuery query, bool bigQuery)
    {
        _execute = execute;
        _query = query;
        _bigQuery = bigQuery;
    }

    /// <summary>The SHA-256 of every file <paramref name="flow"/> extracted.</summary>
    public async Task<IReadOnlySet<string>> KnownAsync(string flow, CancellationToken cancellation)
    {
        var result = await _query.QueryAsync($"SELECT sha256 FROM {Table} WHERE flow = {Q(flow)}", cancellation);
        return result.Rows.Select(r => (string)r[0]!).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Records <paramref name="file"/>; false when that flow had recorded the same content already.</summary>
    public async Task<bool> RecordAsync(FlowFile file, CancellationToken cancellation)
    {
        const string Columns = "flow, sha256, file, bytes, records_read, records_produced, records_dead_lettered, run_id, extracted_at";
        var values = string.Join(
            ", ",
            Q(file.Flow), Q(file.Sha256), Q(file.File), N(file.Bytes), N(file.RecordsRead), N(file.RecordsProduced), N(file.RecordsDeadLettered), Q(file.RunId), Q(JobPeriod.Format(file.ExtractedAt)));
        var sql = _bigQuery
            ? $"MERGE INTO {Table} t USING (SELECT {Q(file.Flow)} AS flow, {Q(file.Sha256)} AS sha256) s ON t.flow = s.flow AND t.sha256 = s.sha256 WHEN NOT MATCHED THEN INSERT ({Columns}) VALUES ({values})"
            : $"INSERT INTO {Table} ({Columns}) VALUES ({values}) ON CONFLICT (flow, sha256) DO NOTHING";
        return await _execute(sql, cancellation) == 1;
    }

    /// <summary>The files a run recorded, in any of its attempts, oldest first.</summary>
    public async Task<IReadOnlyList<FlowFile>> OfRunAsync(string runId, CancellationToken cancellation)
    {
        var result = await _query.QueryAsync(
            $"SELECT flow, sha256, file, bytes, records_read, records_produced, records_dead_lettered, run_id, extracted_at FROM {Table} WHERE run_id = {Q(runId)} ORDER BY extracted_at, file",
            cancellation);
        return [.. result.Rows.Select(r => new FlowFile(
            (string)r[0]!, (string)r[1]!, (string)r[2]!, L(r[3]), L(r[4]), L(r[5]), L(r[6]), (string)r[7]!, JobPeriod.Parse((string)r[8]!)))];
    }

    private static long L(object? value) => Convert.ToInt64(value, CultureInfo.InvariantCulture);

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private string Q(string text) => _bigQuery ? JobSqlText.BigQueryText(text) : JobSqlText.Text(text);
}
