namespace Aero.Node.Admin;

/// <summary>One cluster event as <c>aero cluster tail</c> shows it: when, what, about which member and its status then.</summary>
public sealed record ClusterEventEntry(DateTimeOffset Time, string Event, string Member, string Status);
