using System.Security.Cryptography.X509Certificates;

namespace Aero.FakeSparkConnect;

/// <summary>How a <see cref="FakeSparkConnectServer"/> behaves.</summary>
public sealed record FakeSparkConnectOptions
{
    /// <summary>Bearer token every call must present; null accepts calls without one.</summary>
    public string? Token { get; init; }

    /// <summary>Serve TLS with this certificate (HTTP/2 over TLS); null serves HTTP/2 without TLS.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>Rows per Arrow batch, each batch one response.</summary>
    public int RowsPerBatch { get; init; } = 1000;

    /// <summary>Pause after each batch, so a query takes as long as a spec needs to act on it while it runs.</summary>
    public TimeSpan BatchDelay { get; init; } = TimeSpan.Zero;

    /// <summary>Pause before each SQL command runs (interruptible), so a spec can cancel a statement while it runs.</summary>
    public TimeSpan CommandDelay { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// Pause before ExecutePlan registers its operation, as a busy server's may: an Interrupt sent meanwhile finds
    /// nothing, and the operation then runs detached (it is reattachable) unless interrupted again.
    /// </summary>
    public TimeSpan RegisterDelay { get; init; } = TimeSpan.Zero;

    /// <summary>What AnalyzePlan spark_version answers.</summary>
    public string SparkVersion { get; init; } = "4.0.1";
}
