namespace Aero.FakeBigQuery;

/// <summary>An error the fake answers with BigQuery's envelope: HTTP status, reason (e.g. <c>notFound</c>) and message.</summary>
internal sealed class BigQueryException(int httpStatus, string reason, string message) : Exception(message)
{
    public int HttpStatus { get; } = httpStatus;

    public string Reason { get; } = reason;

    public static BigQueryException NotFound(string what) => new(404, "notFound", $"Not found: {what}");

    public static BigQueryException Duplicate(string what) => new(409, "duplicate", $"Already Exists: {what}");

    public static BigQueryException Invalid(string message) => new(400, "invalid", message);

    public static BigQueryException InvalidQuery(string message) => new(400, "invalidQuery", message);
}
