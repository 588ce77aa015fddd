using Aero.Warehouse.Windows;

namespace Aero.Actors.Windows;

/// <summary>Published on distributed pub-sub (<c>aero.windows.finalizer.pubsub-topic</c>) once a window is final, for the dashboard and the admin console.</summary>
public sealed record WindowFinalized(FinalizedWindow Window);
