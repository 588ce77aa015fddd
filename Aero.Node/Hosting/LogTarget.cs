namespace Aero.Node.Hosting;

/// <summary>Where the node's log goes.</summary>
public enum LogTarget
{
    /// <summary><c>aero.logging.file</c>: <c>aero run</c>, whose terminal shows its progress and summary instead.</summary>
    File,

    /// <summary>Standard error: <c>aero run --verbose</c>, beside the command's own output.</summary>
    StandardError,

    /// <summary>Standard output: <c>aero serve</c>, whose only output is its log (what a container runtime collects).</summary>
    StandardOutput,
}
