namespace Aero.Actors.Windows;

/// <summary>Asks the finalizer what the warehouse holds of windows; answered with <see cref="WindowsStatus"/>.</summary>
public sealed record GetWindowsStatus : IWindowsMessage
{
    public static readonly GetWindowsStatus Instance = new();
}
