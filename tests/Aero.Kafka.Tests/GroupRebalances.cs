using Xunit;

namespace Aero.Kafka.Tests;

/// <summary>
/// Specs that assert exactly where a cooperative rebalance hands partitions over. They run alone: with the rest of the
/// suite beside them on two cores the engine's synchronous commit can race the group's rejoin and fail with an illegal
/// generation, which costs the member its assignment (an open defect of the engine, not what these specs test).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GroupRebalances
{
    public const string Name = "Group rebalances";
}
