using Aero.Actors.Jobs.SparkConnect.Rpc;
using Grpc.Core;

namespace Aero.Actors.Jobs.SparkConnect;

/// <summary>
/// What Spark says about a failed call in its <c>grpc-status-details-bin</c> trailer: a <c>google.rpc.Status</c>
/// whose ErrorInfo carries the error class, SQLSTATE and, on 4.0, the id FetchErrorDetails takes. Read from the
/// trailer's fields, never from the message text.
/// </summary>
internal sealed record SparkErrorInfo(string ErrorClass, string SqlState, string ErrorId, string Message)
{
    private const string StatusTrailer = "grpc-status-details-bin";

    private const string ErrorInfoType = "type.googleapis.com/google.rpc.ErrorInfo";

    public static SparkErrorInfo From(RpcException error)
    {
        var bytes = error.Trailers.GetValueBytes(StatusTrailer);
        if (bytes is null)
        {
            return new SparkErrorInfo(string.Empty, string.Empty, string.Empty, error.Status.Detail);
        }

        var status = Rpc.Status.Parser.ParseFrom(bytes);
        var info = status.Details.Where(any => any.TypeUrl == ErrorInfoType).Select(any => ErrorInfo.Parser.ParseFrom(any.Value)).FirstOrDefault();
        var message = status.Message.Length > 0 ? status.Message : error.Status.Detail;
        return info is null
            ? new SparkErrorInfo(string.Empty, string.Empty, string.Empty, message)
            : new SparkErrorInfo(Metadata(info, "errorClass"), Metadata(info, "sqlState"), Metadata(info, "errorId"), message);
    }

    /// <summary>
    /// Worth reattaching after: the server is unreachable for now, another call took this stream over, or the
    /// transport broke under the call. Grpc.Net.Client reports a reset HTTP/2 stream as INTERNAL with the HTTP
    /// error as its cause, unlike Spark's own INTERNAL errors, which come from the server with their ErrorInfo.
    /// </summary>
    public bool IsRetryable(RpcException error) => error.StatusCode switch
    {
        StatusCode.Unavailable => true,
        StatusCode.Internal => ErrorClass == "INVALID_CURSOR.DISCONNECTED"
            || (ErrorClass.Length == 0 && error.Status.DebugException is HttpProtocolException or HttpRequestException or IOException),
        _ => false,
    };

    /// <summary>The server never saw the ExecutePlan (or lost its session before it ran).</summary>
    public bool IsOperationUnknown => ErrorClass is "INVALID_HANDLE.OPERATION_NOT_FOUND" or "INVALID_HANDLE.SESSION_NOT_FOUND";

    private static string Metadata(ErrorInfo info, string key) => info.Metadata.TryGetValue(key, out var value) ? value : string.Empty;
}
