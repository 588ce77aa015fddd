namespace Aero.Actors.Windows;

/// <summary>An ingest node committed a batch: partials and watermarks moved, so windows may close now rather than at the next tick.</summary>
public sealed record WindowProgress : IWindowsMessage
{
    public static readonly WindowProgress Instance = new();
}
