namespace Aero.Warehouse.Windows;

/// <summary>Why a window was made final, as <c>_aero_windows_final.closed_by</c> says.</summary>
public static class WindowClosings
{
    /// <summary>Every partition's watermark passed its end plus the allowed lateness (idle partitions aside).</summary>
    public const string Watermark = "watermark";

    /// <summary>More windows were open than <c>aero.windows.finalizer.max-open-windows</c>: the oldest were closed.</summary>
    public const string OpenWindowLimit = "open-window-limit";

    /// <summary>The input ended (<c>aero run --once</c>): every record there is has been stored.</summary>
    public const string EndOfInput = "end-of-input";
}
