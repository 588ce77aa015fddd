namespace Aero.Warehouse.BigQuery;

/// <summary>
/// A BigQuery call that failed: the HTTP status and BigQuery's reason (for example <c>rateLimitExceeded</c>) when the
/// response had its error envelope. The message names the operation and never carries credentials.
/// </summary>
public sealed class BigQueryException : Exception
{
    public BigQueryException(string operation, int? httpStatus, string? reason, string message)
        : base($"BigQuery {operation}: {Describe(httpStatus, reason)}: {message}")
    {
        Operation = operation;
        HttpStatus = httpStatus;
        Reason = reason;
    }

    public BigQueryException()
        : this("call", null, null, "failed")
    {
    }

    public BigQueryException(string message)
        : base(message)
    {
        Operation = "call";
    }

    public BigQueryException(string message, Exception innerException)
        : base(message, innerException)
    {
        Operation = "call";
    }

    public string Operation { get; }

    /// <summary>The HTTP status, or null for a failure reported in a 200 body (a job's errorResult, an insert error).</summary>
    public int? HttpStatus { get; }

    public string? Reason { get; }

    /// <summary>A failed job's errors[] messages besides its errorResult: for a load job, the rows it refused and why.</summary>
    public IReadOnlyList<string> Details { get; init; } = [];

    /// <summary>Short-term trouble that the same request may get past: 5xx, 429, backendError, internalError, rateLimitExceeded.</summary>
    public bool IsTransient =>
        HttpStatus is >= 500 or 429 || Reason is "backendError" or "internalError" or "rateLimitExceeded" or "badGateway";

    /// <summary>A long-term quota (for example load jobs per table per day): retrying soon cannot help.</summary>
    public bool IsQuotaExceeded => Reason == "quotaExceeded";

    public bool IsDuplicate => HttpStatus == 409 || Reason == "duplicate";

    public bool IsNotFound => HttpStatus == 404 || Reason == "notFound";

    private static string Describe(int? status, string? reason) => (status, reason) switch
    {
        (null, null) => "failed",
        (null, _) => reason!,
        (_, null) => $"HTTP {status}",
        _ => $"HTTP {status} {reason}",
    };
}
