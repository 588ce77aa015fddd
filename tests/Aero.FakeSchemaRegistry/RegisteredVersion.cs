namespace Aero.FakeSchemaRegistry;

/// <summary>One version of a subject: its number and the global id of its schema.</summary>
public sealed record RegisteredVersion(string Subject, int Version, int Id);
