namespace Aero.Actors.Hosting;

/// <summary>One hosted graph: its state and how often it was restarted after a failure.</summary>
public sealed record GraphStatus(string Name, string Role, GraphState State, int Restarts);
