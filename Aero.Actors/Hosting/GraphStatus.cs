namespace Aero.Actors.Hosting;

/// <summary>One hosted graph: its state, how often it was restarted after a failure, and the message of its latest failure.</summary>
public sealed record GraphStatus(string Name, string Role, GraphState State, int Restarts, string? LastFailure);
