namespace Aero.Node.Commands;

/// <summary>What one <c>aero run</c> did.</summary>
public sealed record RunSummary(long Produced, long ExtractDeadLettered, long Stored, long AlreadyStored, long DeadLettered, long RowsInWarehouse, TimeSpan Elapsed)
{
    /// <summary>Rows in <c>flights</c>, the processed flights.</summary>
    public long Flights { get; init; }

    /// <summary>One line for scripts: <c>summary: produced=5000 stored=5000 ...</c>.</summary>
    public override string ToString() =>
        FormattableString.Invariant(
            $"summary: produced={Produced} extract_dead_lettered={ExtractDeadLettered} stored={Stored} already_stored={AlreadyStored} dead_lettered={DeadLettered} rows_in_warehouse={RowsInWarehouse} flights={Flights} seconds={Elapsed.TotalSeconds:F2}");
}
