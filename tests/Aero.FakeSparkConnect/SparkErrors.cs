using System.Text.Json;
using Aero.Actors.Jobs.SparkConnect.Rpc;
using DuckDB.NET.Data;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Aero.FakeSparkConnect;

/// <summary>
/// Errors as Spark Connect sends them: status INTERNAL, the message "[CLASS] text", and the
/// <c>grpc-status-details-bin</c> trailer holding a google.rpc.Status with an ErrorInfo (reason = the exception
/// class, domain org.apache.spark, metadata classes, errorClass, sqlState and, when kept for FetchErrorDetails, errorId).
/// </summary>
internal static class SparkErrors
{
    public static RpcException Create(string errorClass, string sqlState, string exceptionClass, string message, string? errorId = null)
    {
        var text = $"[{errorClass}] {message}";
        var info = new ErrorInfo { Reason = exceptionClass, Domain = "org.apache.spark" };
        info.Metadata.Add("classes", JsonSerializer.Serialize(new[] { exceptionClass }));
        info.Metadata.Add("errorClass", errorClass);
        info.Metadata.Add("sqlState", sqlState);
        if (errorId is not null)
        {
            info.Metadata.Add("errorId", errorId);
        }

        var status = new Aero.Actors.Jobs.SparkConnect.Rpc.Status { Code = (int)StatusCode.Internal, Message = text, Details = { Any.Pack(info) } };
        var trailers = new Metadata { { "grpc-status-details-bin", status.ToByteArray() } };
        return new RpcException(new Grpc.Core.Status(StatusCode.Internal, text), trailers);
    }

    /// <summary>The Spark error class nearest to a DuckDB error: what the same mistake raises on Spark.</summary>
    public static (string ErrorClass, string SqlState, string ExceptionClass) FromDuckDb(DuckDBException error) => error.Message switch
    {
        var m when m.StartsWith("Catalog Error: Table", StringComparison.Ordinal) => ("TABLE_OR_VIEW_NOT_FOUND", "42P01", "org.apache.spark.sql.AnalysisException"),
        var m when m.StartsWith("Binder Error", StringComparison.Ordinal) => ("UNRESOLVED_COLUMN.WITHOUT_SUGGESTION", "42703", "org.apache.spark.sql.AnalysisException"),
        var m when m.StartsWith("Parser Error", StringComparison.Ordinal) => ("PARSE_SYNTAX_ERROR", "42601", "org.apache.spark.sql.catalyst.parser.ParseException"),
        var m when m.Contains("Division by zero", StringComparison.OrdinalIgnoreCase) => ("DIVIDE_BY_ZERO", "22012", "org.apache.spark.SparkArithmeticException"),
        var m when m.StartsWith("Conversion Error", StringComparison.Ordinal) => ("CAST_INVALID_INPUT", "22018", "org.apache.spark.SparkNumberFormatException"),
        _ => ("INTERNAL_ERROR", "XX000", "org.apache.spark.SparkException"),
    };
}
