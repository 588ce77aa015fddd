using Aero.Warehouse.Views;

namespace Aero.Actors.Jobs;

/// <summary>One configured job as <c>aero looker generate</c> offers it (<see cref="JobLookerViews"/>).</summary>
/// <param name="View">The view over its output; null when there is none, and <paramref name="Note"/> or <paramref name="Problem"/> says why.</param>
/// <param name="Rows">The rows its output holds now; none: the job has not run yet, so Looker shows nothing until it has.</param>
/// <param name="Note">What the operator should know (no rows yet, an engine that keeps no view over its output).</param>
/// <param name="Problem">Why its view could not be made (its SQL or its measures are wrong): the command fails.</param>
public sealed record JobLookerView(string Job, string Output, WarehouseView? View, long Rows, string? Note, string? Problem = null);
