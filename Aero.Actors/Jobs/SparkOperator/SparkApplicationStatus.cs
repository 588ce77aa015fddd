namespace Aero.Actors.Jobs.SparkOperator;

/// <summary>
/// A SparkApplication's <c>status</c> as the Spark Operator reports it: <c>applicationState.state</c> (empty before
/// the operator has seen it), its error message, and the Spark application id once it runs.
/// </summary>
public sealed record SparkApplicationStatus(string Name, string State, string ErrorMessage, string SparkApplicationId)
{
    public bool Succeeded => State == "COMPLETED";

    public bool Failed => State is "FAILED" or "SUBMISSION_FAILED";

    /// <summary>The operator will not move it on by itself: it completed or failed (with restartPolicy Never).</summary>
    public bool Finished => Succeeded || Failed;
}
