namespace Aero.Node.Dashboard;

/// <summary>
/// The dashboard's headline numbers: flights stored, on-time share and average departure delay (the summary's
/// <c>all</c> row), dead letters, flights stored per second between the two latest summaries, and consumer lag.
/// </summary>
public sealed record Headline(long Flights, double? OnTimeShare, double? AverageDelayMinutes, long DeadLetters, double? RecordsPerSecond, long? ConsumerLag);
