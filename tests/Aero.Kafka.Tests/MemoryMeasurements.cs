using Xunit;

namespace Aero.Kafka.Tests;

/// <summary>
/// Specs that bound the managed heap's growth. GC.GetTotalMemory counts the whole process, so they run alone: another
/// test class allocating at the same time would be counted as theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurements
{
    public const string Name = "Memory measurements";
}
