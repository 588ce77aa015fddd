namespace Aero.Node.Commands;

/// <summary>Where <c>aero run --once</c> stands after one look at the warehouse's offsets.</summary>
public enum OnceOutcome
{
    /// <summary>Some partition's stored offset is still below its log end, and the offsets moved recently.</summary>
    Waiting,

    /// <summary>Every partition's stored offset reached its log end.</summary>
    Done,

    /// <summary>The stored offsets have not moved for the stall timeout: the warehouse is not reaching the log end.</summary>
    Stalled,
}
