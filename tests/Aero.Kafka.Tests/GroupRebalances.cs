using Xunit;

namespace Aero.Kafka.Tests;

/// <summary>
/// Specs that run a cooperative rebalance of two members of one group and check its timing and its handover. They
/// run one at a time, so that other specs' load on a two-core machine does not stretch what they measure.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GroupRebalances
{
    public const string Name = "Group rebalances";
}
