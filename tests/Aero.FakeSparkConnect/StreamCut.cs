namespace Aero.FakeSparkConnect;

/// <summary>The next result stream (ExecutePlan or ReattachExecute) ends after <paramref name="AfterResponses"/> responses.</summary>
public sealed record StreamCut(int AfterResponses, StreamCutKind Kind);
