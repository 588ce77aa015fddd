namespace Aero.Node.Configuration;

/// <summary>How the node writes its log: <c>aero.logging.format</c>, or <c>--log-format</c>.</summary>
public enum LogFormat
{
    /// <summary>One readable line per event, for a terminal.</summary>
    Text,

    /// <summary>One JSON object per line, as Google Cloud Logging reads them (<see cref="Hosting.CloudLoggingJsonFormatter"/>).</summary>
    Json,
}
