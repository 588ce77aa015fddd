using Aero.Warehouse;

namespace Aero.Actors.Jobs;

/// <summary>One run for an engine: its SQL (parameters bound for the engine's dialect), where its rows go and which period they replace.</summary>
/// <param name="Attempt">Which attempt of the run this is (1 first): with the run id, it names the engine's work, so a re-sent request finds it.</param>
/// <param name="Claim">
/// A statement that affects a row only while this run still holds its claim in <c>_aero_jobs</c>: an engine writing into
/// the database that holds <c>_aero_jobs</c> runs it in its result's transaction, so a coordinator that lost its claim
/// (a failover) cannot commit. Engines writing elsewhere rely on the claim's lease alone.
/// </param>
public sealed record JobRunRequest(string RunId, int Attempt, string Job, string Sql, string Output, string PeriodKey, TransactionStatement Claim)
{
    /// <summary>For a flow's run (engine <c>flow</c>): the files it extracts; its SQL and output are empty.</summary>
    public FlowSource? Flow { get; init; }
}
