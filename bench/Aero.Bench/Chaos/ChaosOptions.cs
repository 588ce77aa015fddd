namespace Aero.Bench.Chaos;

/// <summary>What one fault campaign does; <see cref="Seed"/> makes its choice of faults and their times repeatable.</summary>
internal sealed record ChaosOptions(
    TimeSpan Duration,
    int Seed,
    int Nodes,
    int Partitions,
    int Rate,
    double BadShare,
    TimeSpan CatchUpTimeout,
    int PostgresPort,
    string RunDirectory);
