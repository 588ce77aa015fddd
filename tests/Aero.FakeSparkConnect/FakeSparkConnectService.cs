using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Spark.Connect;

namespace Aero.FakeSparkConnect;

/// <summary>
/// The fake's SparkConnectService: SQL runs on the server's in-memory DuckDB and comes back as Arrow batches, with
/// Spark Connect's rules for sessions (client-chosen UUIDs, keyed by user, a server-side id to echo), operations
/// (client-chosen ids, tags, reattachable result buffers), cursors (unset versus unknown), interrupts, releases
/// and errors (class and SQLSTATE in ErrorInfo, details by error id).
/// </summary>
internal sealed partial class FakeSparkConnectService(FakeSparkConnectServer server) : SparkConnectService.SparkConnectServiceBase
{
    public override async Task ExecutePlan(ExecutePlanRequest request, IServerStreamWriter<ExecutePlanResponse> responseStream, ServerCallContext context)
    {
        var session = Enter(nameof(ExecutePlan), request.SessionId, request.UserContext, request.HasOperationId ? request.OperationId : null, null, request.Tags, context);
        if (server.Options.RegisterDelay > TimeSpan.Zero)
        {
            // Not the call's token: Spark registers an operation whose call was cancelled meanwhile all the same.
            await Task.Delay(server.Options.RegisterDelay, CancellationToken.None);
        }

        CheckObservedSession(session, request.HasClientObservedServerSideSessionId ? request.ClientObservedServerSideSessionId : null);
        var operationId = request.HasOperationId ? request.OperationId : Guid.NewGuid().ToString();
        if (!Guid.TryParse(operationId, out _))
        {
            throw SparkErrors.Create("INVALID_HANDLE.FORMAT", "HY000", "org.apache.spark.SparkSQLException", $"The handle {operationId} is invalid: not a UUID.");
        }

        if (request.Tags.Any(tag => tag.Length == 0 || tag.Contains(',', StringComparison.Ordinal)))
        {
            throw SparkErrors.Create("INVALID_PARAMETER_VALUE", "22023", "org.apache.spark.SparkIllegalArgumentException", "A tag must be non-empty and must not contain commas.");
        }

        var reattachable = request.RequestOptions.Any(option => option.ReattachOptions?.Reattachable == true);
        var operation = new FakeOperation(operationId, [.. request.Tags], reattachable);
        if (!session.Operations.TryAdd(operationId, operation))
        {
            throw SparkErrors.Create("INVALID_HANDLE.OPERATION_ALREADY_EXISTS", "HY000", "org.apache.spark.SparkSQLException", $"Operation {operationId} already exists.");
        }

        _ = Task.Run(() => ProduceAsync(session, operation, request.Plan));
        await StreamAsync(session, operation, 0, responseStream, context);
    }

    public override Task ReattachExecute(ReattachExecuteRequest request, IServerStreamWriter<ExecutePlanResponse> responseStream, ServerCallContext context)
    {
        var cursor = request.HasLastResponseId ? request.LastResponseId : null;
        var session = Enter(nameof(ReattachExecute), request.SessionId, request.UserContext, request.OperationId, cursor, [], context);
        CheckObservedSession(session, request.HasClientObservedServerSideSessionId ? request.ClientObservedServerSideSessionId : null);
        if (!session.Operations.TryGetValue(request.OperationId, out var operation) || operation.Released)
        {
            throw SparkErrors.Create("INVALID_HANDLE.OPERATION_NOT_FOUND", "HY000", "org.apache.spark.SparkSQLException", $"Operation {request.OperationId} was not found.");
        }

        if (!operation.Reattachable)
        {
            throw SparkErrors.Create("INVALID_CURSOR.NOT_REATTACHABLE", "HY000", "org.apache.spark.SparkSQLException", $"Operation {request.OperationId} is not reattachable.");
        }

        var start = operation.IndexAfter(cursor);
        return start < 0
            ? throw SparkErrors.Create("INVALID_CURSOR.POSITION_NOT_FOUND", "HY000", "org.apache.spark.SparkSQLException", $"The response {cursor} of operation {request.OperationId} was not found.")
            : StreamAsync(session, operation, start, responseStream, context);
    }

    public override Task<InterruptResponse> Interrupt(InterruptRequest request, ServerCallContext context)
    {
        var target = request.InterruptCase switch
        {
            InterruptRequest.InterruptOneofCase.OperationId => request.OperationId,
            InterruptRequest.InterruptOneofCase.OperationTag => request.OperationTag,
            _ => null,
        };
        var session = Enter(nameof(Interrupt), request.SessionId, request.UserContext, request.InterruptCase == InterruptRequest.InterruptOneofCase.OperationId ? target : null, null,
            request.InterruptCase == InterruptRequest.InterruptOneofCase.OperationTag ? [request.OperationTag] : [], context);
        Func<FakeOperation, bool> selected = request.InterruptType switch
        {
            InterruptRequest.Types.InterruptType.All => _ => true,
            InterruptRequest.Types.InterruptType.Tag => operation => operation.Tags.Contains(request.OperationTag),
            InterruptRequest.Types.InterruptType.OperationId => operation => operation.Id == request.OperationId,
            _ => throw SparkErrors.Create("INVALID_PARAMETER_VALUE", "22023", "org.apache.spark.SparkIllegalArgumentException", "interrupt_type is unspecified."),
        };
        var response = new InterruptResponse { SessionId = session.SessionId, ServerSideSessionId = session.ServerSideSessionId };
        response.InterruptedIds.AddRange(session.Operations.Values.Where(selected).Where(operation => operation.Interrupt()).Select(operation => operation.Id));
        return Task.FromResult(response);
    }

    public override Task<ReleaseExecuteResponse> ReleaseExecute(ReleaseExecuteRequest request, ServerCallContext context)
    {
        var session = Enter(nameof(ReleaseExecute), request.SessionId, request.UserContext, request.OperationId,
            request.ReleaseCase == ReleaseExecuteRequest.ReleaseOneofCase.ReleaseUntil ? request.ReleaseUntil.ResponseId : null, [], context);
        if (request.ReleaseCase == ReleaseExecuteRequest.ReleaseOneofCase.ReleaseAll && session.Operations.TryGetValue(request.OperationId, out var operation))
        {
            // Releasing all of an operation also stops it, as on Spark.
            operation.Interrupt();
            operation.Released = true;
        }

        return Task.FromResult(new ReleaseExecuteResponse { SessionId = session.SessionId, OperationId = request.OperationId, ServerSideSessionId = session.ServerSideSessionId });
    }

    public override Task<AnalyzePlanResponse> AnalyzePlan(AnalyzePlanRequest request, ServerCallContext context)
    {
        var session = Enter(nameof(AnalyzePlan), request.SessionId, request.UserContext, null, null, [], context);
        return request.AnalyzeCase != AnalyzePlanRequest.AnalyzeOneofCase.SparkVersion
            ? throw new RpcException(new Grpc.Core.Status(StatusCode.Unimplemented, "the fake answers spark_version only"))
            : Task.FromResult(new AnalyzePlanResponse
            {
                SessionId = session.SessionId,
                ServerSideSessionId = session.ServerSideSessionId,
                SparkVersion = new AnalyzePlanResponse.Types.SparkVersion { Version = server.Options.SparkVersion },
            });
    }

    public override Task<FetchErrorDetailsResponse> FetchErrorDetails(FetchErrorDetailsRequest request, ServerCallContext context)
    {
        var session = Enter(nameof(FetchErrorDetails), request.SessionId, request.UserContext, null, request.ErrorId, [], context);
        var response = new FetchErrorDetailsResponse { SessionId = session.SessionId, ServerSideSessionId = session.ServerSideSessionId };
        if (session.Errors.TryRemove(request.ErrorId, out var error))
        {
            response.RootErrorIdx = 0;
            response.Errors.Add(new FetchErrorDetailsResponse.Types.Error
            {
                ErrorTypeHierarchy = { error.ExceptionClass, "java.lang.Exception", "java.lang.Throwable" },
                Message = $"[{error.ErrorClass}] {error.Message}",
                SparkThrowable = new FetchErrorDetailsResponse.Types.SparkThrowable { ErrorClass = error.ErrorClass, SqlState = error.SqlState },
            });
        }

        return Task.FromResult(response);
    }

    public override Task<ReleaseSessionResponse> ReleaseSession(ReleaseSessionRequest request, ServerCallContext context)
    {
        var session = Enter(nameof(ReleaseSession), request.SessionId, request.UserContext, null, null, [], context);
        session.Released = true;
        foreach (var operation in session.Operations.Values)
        {
            operation.Interrupt();
        }

        return Task.FromResult(new ReleaseSessionResponse { SessionId = session.SessionId, ServerSideSessionId = session.ServerSideSessionId });
    }

    /// <summary>Records the call, checks the token and the session id, and finds or creates the session.</summary>
    private FakeSession Enter(string rpc, string sessionId, UserContext? user, string? operationId, string? cursor, IEnumerable<string> tags, ServerCallContext context)
    {
        var authorization = context.RequestHeaders.GetValue("authorization") ?? string.Empty;
        server.Record(new FakeRequest(rpc, sessionId, operationId, cursor, [.. tags], authorization));
        if (server.Options.Token is { } token && authorization != $"Bearer {token}")
        {
            throw new RpcException(new Grpc.Core.Status(StatusCode.Unauthenticated, "missing or invalid bearer token"));
        }

        if (!Guid.TryParse(sessionId, out _))
        {
            throw SparkErrors.Create("INVALID_HANDLE.FORMAT", "HY000", "org.apache.spark.SparkSQLException", $"The handle {sessionId} is invalid: not a UUID.");
        }

        var session = server.Session(user?.UserId ?? string.Empty, sessionId);
        return session.Released
            ? throw SparkErrors.Create("INVALID_HANDLE.SESSION_CLOSED", "HY000", "org.apache.spark.SparkSQLException", $"Session {sessionId} was closed.")
            : session;
    }

    private static void CheckObservedSession(FakeSession session, string? observed)
    {
        if (observed is not null && observed != session.ServerSideSessionId)
        {
            throw SparkErrors.Create("INVALID_HANDLE.SESSION_CHANGED", "HY000", "org.apache.spark.SparkSQLException", $"The session {session.SessionId} changed on the server.");
        }
    }

    /// <summary>Writes the operation's responses from <paramref name="start"/> as they come, unless a scripted cut ends the stream first.</summary>
    private async Task StreamAsync(FakeSession session, FakeOperation operation, int start, IServerStreamWriter<ExecutePlanResponse> stream, ServerCallContext context)
    {
        var cut = server.TakeCut();
        var written = 0;
        var index = start;
        while (true)
        {
            var (pending, finished, changed) = operation.Read(index);
            foreach (var response in pending)
            {
                if (cut is not null && written >= cut.AfterResponses)
                {
                    Cut(cut, context);
                    return;
                }

                await stream.WriteAsync(response, context.CancellationToken);
                operation.RecordSent(response.ResponseId);
                written++;
                index++;
            }

            if (finished && operation.Read(index).Pending.Count == 0)
            {
                if (operation.Error is { } error)
                {
                    throw error;
                }

                return;
            }

            if (cut is not null && written >= cut.AfterResponses)
            {
                Cut(cut, context);
                return;
            }

            await changed.WaitAsync(context.CancellationToken);
        }
    }

    private static void Cut(StreamCut cut, ServerCallContext context)
    {
        switch (cut.Kind)
        {
            case StreamCutKind.Unavailable:
                throw new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "the fake cut this stream"));
            case StreamCutKind.Abort:
                context.GetHttpContext().Abort();
                break;
            default:
                break;
        }
    }

    /// <summary>Runs the plan on DuckDB: a relation's rows as Arrow batches, or a command executed once.</summary>
    private async Task ProduceAsync(FakeSession session, FakeOperation operation, Plan plan)
    {
        var token = operation.InterruptToken;
        try
        {
            if (plan.OpTypeCase == Plan.OpTypeOneofCase.Command && plan.Command.CommandTypeCase == Command.CommandTypeOneofCase.SqlCommand)
            {
                await RunCommandAsync(session, operation, plan.Command.SqlCommand.Sql, token);
            }
            else if (plan.OpTypeCase == Plan.OpTypeOneofCase.Root && plan.Root.RelTypeCase == Relation.RelTypeOneofCase.Sql)
            {
                await RunQueryAsync(session, operation, plan.Root.Sql.Query, token);
            }
            else
            {
                throw SparkErrors.Create("UNSUPPORTED_FEATURE", "0A000", "org.apache.spark.sql.AnalysisException", "the fake runs SQL relations and SQL commands only.");
            }

            if (operation.Reattachable)
            {
                operation.Append(Response(session, operation, response => response.ResultComplete = new ExecutePlanResponse.Types.ResultComplete()));
            }

            operation.Finish(FakeOperationState.Completed, null);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            operation.Finish(FakeOperationState.Interrupted, Fail(session, "OPERATION_CANCELED", "HY008", "org.apache.spark.SparkException", "Operation has been cancelled."));
        }
        catch (DuckDBException error)
        {
            var (errorClass, sqlState, exceptionClass) = SparkErrors.FromDuckDb(error);
            operation.Finish(FakeOperationState.Failed, Fail(session, errorClass, sqlState, exceptionClass, error.Message));
        }
        catch (RpcException error)
        {
            operation.Finish(FakeOperationState.Failed, error);
        }
    }

    private async Task RunQueryAsync(FakeSession session, FakeOperation operation, string sql, CancellationToken token)
    {
        using var connection = server.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = await command.ExecuteReaderAsync(token);
        var (names, types) = Columns(reader);
        long offset = 0;
        var batches = 0;
        while (true)
        {
            var rows = new List<object?[]>();
            while (rows.Count < server.Options.RowsPerBatch && await reader.ReadAsync(token))
            {
                var values = new object?[reader.FieldCount];
                reader.GetValues(values!);
                rows.Add(values);
            }

            // At least one batch, even for no rows: it carries the schema.
            if (rows.Count == 0 && batches > 0)
            {
                return;
            }

            var data = ArrowEncoder.Encode(names, types, rows);
            var start = offset;
            operation.Append(Response(session, operation, response => response.ArrowBatch = new ExecutePlanResponse.Types.ArrowBatch
            {
                RowCount = rows.Count,
                Data = ByteString.CopyFrom(data),
                StartOffset = start,
            }));
            offset += rows.Count;
            batches++;
            if (server.Options.BatchDelay > TimeSpan.Zero)
            {
                await Task.Delay(server.Options.BatchDelay, token);
            }

            if (rows.Count < server.Options.RowsPerBatch)
            {
                return;
            }
        }
    }

    /// <summary>
    /// A command runs at once and answers with its output as a local relation; a query given as a command is not run
    /// but handed back as a relation, as Spark does.
    /// </summary>
    private async Task RunCommandAsync(FakeSession session, FakeOperation operation, string sql, CancellationToken token)
    {
        if (QueryStatement().IsMatch(sql))
        {
            operation.Append(Response(session, operation, response => response.SqlCommandResult = new ExecutePlanResponse.Types.SqlCommandResult
            {
                Relation = new Relation { Sql = new SQL { Query = sql } },
            }));
            return;
        }

        if (server.Options.CommandDelay > TimeSpan.Zero)
        {
            await Task.Delay(server.Options.CommandDelay, token);
        }

        using var connection = server.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = Translate(sql);
        using var reader = await command.ExecuteReaderAsync(token);
        var (names, types) = Columns(reader);
        var rows = new List<object?[]>();
        while (await reader.ReadAsync(token))
        {
            var values = new object?[reader.FieldCount];
            reader.GetValues(values!);
            rows.Add(values);
        }

        operation.Append(Response(session, operation, response => response.SqlCommandResult = new ExecutePlanResponse.Types.SqlCommandResult
        {
            Relation = new Relation { LocalRelation = new LocalRelation { Data = ByteString.CopyFrom(ArrowEncoder.Encode(names, types, rows)) } },
        }));
    }

    /// <summary>
    /// Spark's INSERT OVERWRITE, which DuckDB lacks, as a delete and an insert in one transaction: of the whole table,
    /// or with a static PARTITION (column = value) of that partition's rows, the column last as Spark keeps it. A
    /// CREATE TABLE's USING and PARTITIONED BY clauses, which only say how Spark stores the table, are dropped.
    /// </summary>
    private static string Translate(string sql)
    {
        var overwrite = InsertOverwrite().Match(sql);
        if (!overwrite.Success)
        {
            return StorageClauses().Replace(sql, " ");
        }

        var table = overwrite.Groups["table"].Value;
        var rest = overwrite.Groups["rest"].Value;
        return overwrite.Groups["column"].Success
            ? $"BEGIN TRANSACTION; DELETE FROM {table} WHERE {overwrite.Groups["column"].Value} = {overwrite.Groups["value"].Value}; INSERT INTO {table} SELECT p.*, {overwrite.Groups["value"].Value} FROM ({rest}) p; COMMIT;"
            : $"BEGIN TRANSACTION; DELETE FROM {table}; INSERT INTO {table} {rest}; COMMIT;";
    }

    private static (List<string> Names, List<Type> Types) Columns(System.Data.Common.DbDataReader reader)
    {
        var names = new List<string>();
        var types = new List<Type>();
        for (var column = 0; column < reader.FieldCount; column++)
        {
            names.Add(reader.GetName(column));
            types.Add(reader.GetFieldType(column));
        }

        return (names, types);
    }

    private static ExecutePlanResponse Response(FakeSession session, FakeOperation operation, Action<ExecutePlanResponse> fill)
    {
        var response = new ExecutePlanResponse
        {
            SessionId = session.SessionId,
            ServerSideSessionId = session.ServerSideSessionId,
            OperationId = operation.Id,
            ResponseId = Guid.NewGuid().ToString(),
        };
        fill(response);
        return response;
    }

    /// <summary>An error kept for FetchErrorDetails under a new id, as Spark 4 keeps it.</summary>
    private static RpcException Fail(FakeSession session, string errorClass, string sqlState, string exceptionClass, string message)
    {
        var errorId = Guid.NewGuid().ToString();
        session.Errors[errorId] = (errorClass, sqlState, exceptionClass, message);
        return SparkErrors.Create(errorClass, sqlState, exceptionClass, message, errorId);
    }

    [GeneratedRegex(@"^\s*(SELECT|WITH|FROM|VALUES|TABLE)\b", RegexOptions.IgnoreCase)]
    private static partial Regex QueryStatement();

    [GeneratedRegex(@"^\s*INSERT\s+OVERWRITE\s+(TABLE\s+)?(?<table>[\w.]+)\s+(PARTITION\s*\(\s*(?<column>\w+)\s*=\s*(?<value>'(?:[^']|'')*')\s*\)\s+)?(?<rest>.*?);?\s*$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex InsertOverwrite();

    [GeneratedRegex(@"\s+USING\s+\w+(\s+PARTITIONED\s+BY\s*\([\w\s,]*\))?\s+(?=AS\b)", RegexOptions.IgnoreCase)]
    private static partial Regex StorageClauses();
}
