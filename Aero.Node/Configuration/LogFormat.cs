namespace Aero.Node.Configuration;

/// <summary>How the node writes its log: <c>aero.logging.format</c>.</summary>
public enum LogFormat
{
    /// <summary>One readable line per event, for a terminal.</summary>
    Text,

    /// <summary>One compact JSON object per event (Serilog's CLEF), for log collectors.</summary>
    Json,
}
