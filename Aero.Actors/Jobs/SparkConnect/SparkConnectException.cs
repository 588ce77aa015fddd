namespace Aero.Actors.Jobs.SparkConnect;

/// <summary>
/// A Spark Connect call that failed on the server, with Spark's error class (e.g. <c>TABLE_OR_VIEW_NOT_FOUND</c>),
/// SQLSTATE and message, as the server sent them (its ErrorInfo, or FetchErrorDetails where the server has it).
/// </summary>
public sealed class SparkConnectException : Exception
{
    public SparkConnectException(string errorClass, string sqlState, string serverMessage, string grpcStatus, Exception? inner = null)
        : base(Describe(errorClass, sqlState, serverMessage, grpcStatus), inner)
    {
        ErrorClass = errorClass;
        SqlState = sqlState;
        ServerMessage = serverMessage;
        GrpcStatus = grpcStatus;
    }

    public SparkConnectException()
        : this(string.Empty, string.Empty, string.Empty, string.Empty)
    {
    }

    public SparkConnectException(string message)
        : this(string.Empty, string.Empty, message, string.Empty)
    {
    }

    public SparkConnectException(string message, Exception inner)
        : this(string.Empty, string.Empty, message, string.Empty, inner)
    {
    }

    /// <summary>Spark's error class, empty when the server sent none.</summary>
    public string ErrorClass { get; }

    public string SqlState { get; }

    public string ServerMessage { get; }

    /// <summary>The gRPC status code's name (<c>Internal</c>, <c>Unavailable</c>, ...).</summary>
    public string GrpcStatus { get; }

    private static string Describe(string errorClass, string sqlState, string serverMessage, string grpcStatus)
    {
        var classText = errorClass.Length > 0 ? $" [{errorClass}]" : string.Empty;
        var stateText = sqlState.Length > 0 ? $" (SQLSTATE {sqlState})" : string.Empty;
        var statusText = grpcStatus.Length > 0 ? $" (gRPC {grpcStatus})" : string.Empty;
        return $"Spark Connect failed{classText}{stateText}{statusText}: {serverMessage}";
    }
}
