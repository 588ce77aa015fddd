namespace Aero.Actors.Windows;

/// <summary>A message for the coordinator's <see cref="WindowFinalizerActor"/>: the coordinator forwards it there.</summary>
public interface IWindowsMessage;
