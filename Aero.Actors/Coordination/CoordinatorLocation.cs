namespace Aero.Actors.Coordination;

/// <summary>The address of the node the coordinator singleton runs on.</summary>
public sealed record CoordinatorLocation(string Address);
