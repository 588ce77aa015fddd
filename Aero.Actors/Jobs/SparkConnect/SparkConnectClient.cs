using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Akka.Configuration;
using Akka.Event;
using Grpc.Core;
using Grpc.Net.Client;
using Spark.Connect;

namespace Aero.Actors.Jobs.SparkConnect;

/// <summary>
/// Aero's Spark Connect client: one channel and one session per instance (one per coordinator), SQL run as
/// reattachable operations, each with its own operation id and the run's tag. A stream that breaks or ends early is
/// reattached from the last response received, and every response id is seen once, so no batch is lost or repeated.
/// A cancelled run is interrupted on the server, and every operation is released at its end. The bearer token goes
/// only into the authorization header of TLS calls: never into a log line or an exception.
/// </summary>
public sealed class SparkConnectClient : IAsyncDisposable
{
    private readonly SparkConnectSettings _settings;
    private readonly ILoggingAdapter _log;
    private readonly GrpcChannel _channel;
    private readonly SparkConnectService.SparkConnectServiceClient _service;
    private readonly UserContext _user;
    private string _serverSessionId = string.Empty;

    public SparkConnectClient(SparkConnectSettings settings, ILoggingAdapter log)
    {
        _settings = settings;
        _log = log;
        var endpoint = settings.Endpoint
            ?? throw new ConfigurationException("aero.jobs.spark-connect.endpoint is empty: no Spark Connect server is configured.");
        _channel = GrpcChannel.ForAddress(endpoint, ChannelOptions(settings, endpoint));
        _service = new SparkConnectService.SparkConnectServiceClient(_channel);
        _user = new UserContext { UserId = settings.UserId };
    }

    /// <summary>The session this client runs its operations in; Spark creates it on first use.</summary>
    public string SessionId { get; } = Guid.NewGuid().ToString();

    /// <summary>The server's version (AnalyzePlan spark_version), e.g. <c>4.0.1</c>.</summary>
    public async Task<string> SparkVersionAsync(CancellationToken cancellationToken)
    {
        var request = new AnalyzePlanRequest
        {
            SessionId = SessionId,
            UserContext = _user,
            ClientType = _settings.ClientType,
            SparkVersion = new AnalyzePlanRequest.Types.SparkVersion(),
        };
        ObserveServerSession(value => request.ClientObservedServerSideSessionId = value);
        var response = await UnaryAsync(options => _service.AnalyzePlanAsync(request, options), cancellationToken);
        CheckSession(response.SessionId, response.ServerSideSessionId);
        return response.SparkVersion.Version;
    }

    /// <summary>
    /// Runs a query (<c>Plan.root</c> = a SQL relation) and returns its rows. <paramref name="operationTag"/> marks the
    /// operation (e.g. <c>job-42</c>) so <see cref="InterruptTagAsync"/> can stop it from elsewhere.
    /// </summary>
    public async Task<SparkSqlResult> ExecuteSqlAsync(string sql, string operationTag, CancellationToken cancellationToken) =>
        (await RunAsync(new Plan { Root = new Relation { Sql = new SQL { Query = sql } } }, operationTag, cancellationToken)).Result();

    /// <summary>
    /// Runs a statement that changes something (INSERT OVERWRITE, CREATE, ...) as a SQL command, which Spark executes
    /// exactly once, eagerly; returns its output rows (often none). A query given here is run as
    /// <see cref="ExecuteSqlAsync"/> runs it, as Spark hands it back.
    /// </summary>
    public async Task<SparkSqlResult> ExecuteStatementAsync(string sql, string operationTag, CancellationToken cancellationToken)
    {
        var command = new Plan { Command = new Command { SqlCommand = new SqlCommand { Sql = sql } } };
        var operation = await RunAsync(command, operationTag, cancellationToken);
        return operation.Deferred is { } relation
            ? (await RunAsync(new Plan { Root = relation }, operationTag, cancellationToken)).Result()
            : operation.Result();
    }

    /// <summary>Interrupts every operation of this session carrying <paramref name="operationTag"/>; returns their ids.</summary>
    public async Task<IReadOnlyList<string>> InterruptTagAsync(string operationTag, CancellationToken cancellationToken)
    {
        CheckTag(operationTag);
        var request = NewInterruptRequest(InterruptRequest.Types.InterruptType.Tag);
        request.OperationTag = operationTag;
        var response = await UnaryAsync(options => _service.InterruptAsync(request, options), cancellationToken);
        _log.Info("Spark Connect: interrupted {0} operation(s) tagged {1}", response.InterruptedIds.Count, operationTag);
        return [.. response.InterruptedIds];
    }

    /// <summary>Ends the session on the server (Spark 4.0 and later; an older server's refusal is logged).</summary>
    public async Task ReleaseSessionAsync(CancellationToken cancellationToken)
    {
        var request = new ReleaseSessionRequest { SessionId = SessionId, UserContext = _user, ClientType = _settings.ClientType };
        try
        {
            await UnaryAsync(options => _service.ReleaseSessionAsync(request, options), cancellationToken);
        }
        catch (RpcException error) when (error.StatusCode == StatusCode.Unimplemented)
        {
            _log.Info("Spark Connect: the server has no ReleaseSession (before Spark 4.0); session {0} ends by its idle timeout", SessionId);
        }
    }

    public ValueTask DisposeAsync()
    {
        _channel.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<SparkOperation> RunAsync(Plan plan, string operationTag, CancellationToken cancellationToken)
    {
        CheckTag(operationTag);
        var operation = new SparkOperation(Guid.NewGuid().ToString(), operationTag);
        _log.Info("Spark Connect: operation {0} (tag {1}) starts in session {2}", operation.Id, operationTag, SessionId);
        try
        {
            await StreamAsync(plan, operation, cancellationToken);
            _log.Info("Spark Connect: operation {0} returned {1} row(s) in {2} response(s)", operation.Id, operation.RowCount, operation.Responses);
            return operation;
        }
        catch (Exception error) when (cancellationToken.IsCancellationRequested && IsCancellation(error))
        {
            await InterruptOperationAsync(operation.Id);
            throw new OperationCanceledException($"Spark Connect operation {operation.Id} (tag {operationTag}) was cancelled and interrupted.", error, cancellationToken);
        }
        finally
        {
            await ReleaseOperationAsync(operation.Id);
        }
    }

    /// <summary>
    /// The operation's stream, segment by segment: ExecutePlan, then ReattachExecute from the last response id
    /// whenever a segment ends before ResultComplete, breaks with a retryable error, or stays silent too long.
    /// </summary>
    private async Task StreamAsync(Plan plan, SparkOperation operation, CancellationToken cancellationToken)
    {
        var execute = true;
        var failures = 0;
        while (true)
        {
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            idle.CancelAfter(_settings.StreamIdleTimeout);
            var options = new CallOptions(cancellationToken: idle.Token);
            try
            {
                using var call = execute ? _service.ExecutePlan(ExecuteRequest(plan, operation), options) : _service.ReattachExecute(ReattachRequest(operation), options);
                while (await call.ResponseStream.MoveNext(idle.Token))
                {
                    idle.CancelAfter(_settings.StreamIdleTimeout);
                    var response = call.ResponseStream.Current;
                    CheckSession(response.SessionId, response.ServerSideSessionId);
                    operation.Receive(response);
                    failures = 0;
                }

                if (operation.Complete)
                {
                    return;
                }

                _log.Info("Spark Connect: operation {0}'s stream ended before its result was complete; reattaching after response {1}", operation.Id, operation.LastResponseId ?? "(none)");
            }
            catch (Exception error) when (idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested && IsCancellation(error))
            {
                _log.Warning("Spark Connect: operation {0}'s stream was silent for {1}; reattaching after response {2}", operation.Id, _settings.StreamIdleTimeout, operation.LastResponseId ?? "(none)");
            }
            catch (Exception error) when (!cancellationToken.IsCancellationRequested && IsCancellation(error))
            {
                // Cancelled by neither Aero nor the watchdog: the HTTP/2 stream was reset under the call, which
                // Grpc.Net.Client reports as a cancellation when the reset says CANCEL.
                if (++failures > _settings.RetryAttempts)
                {
                    throw new SparkConnectException(string.Empty, string.Empty, $"operation {operation.Id}'s stream was reset {failures} times in a row", "Cancelled", error);
                }

                _log.Warning("Spark Connect: operation {0}'s stream was reset; reattaching after response {1} (attempt {2})", operation.Id, operation.LastResponseId ?? "(none)", $"{failures} of {_settings.RetryAttempts}");
                await Task.Delay(Backoff(failures), cancellationToken);
            }
            catch (RpcException error) when (!cancellationToken.IsCancellationRequested)
            {
                var info = SparkErrorInfo.From(error);
                if (info.IsOperationUnknown && operation.LastResponseId is null)
                {
                    // The ExecutePlan never reached the server: send it again under the same operation id.
                    _log.Warning("Spark Connect: the server does not know operation {0} ({1}); executing it again", operation.Id, info.ErrorClass);
                    execute = true;
                    continue;
                }

                if (!info.IsRetryable(error) || ++failures > _settings.RetryAttempts)
                {
                    throw await ToSparkExceptionAsync(error, info);
                }

                var backoff = Backoff(failures);
                _log.Warning("Spark Connect: operation {0}'s stream broke ({1} {2}); reattaching after response {3} in {4} (attempt {5})", operation.Id, error.StatusCode, info.ErrorClass, operation.LastResponseId ?? "(none)", backoff, $"{failures} of {_settings.RetryAttempts}");
                await Task.Delay(backoff, cancellationToken);
            }

            execute = false;
        }
    }

    private TimeSpan Backoff(int failure)
    {
        var doubled = _settings.RetryMinBackoff * Math.Pow(2, failure - 1);
        var capped = doubled > _settings.RetryMaxBackoff ? _settings.RetryMaxBackoff : doubled;
        return capped * (0.8 + (Random.Shared.NextDouble() * 0.4));
    }

    private ExecutePlanRequest ExecuteRequest(Plan plan, SparkOperation operation)
    {
        var request = new ExecutePlanRequest
        {
            SessionId = SessionId,
            UserContext = _user,
            ClientType = _settings.ClientType,
            Plan = plan,
            OperationId = operation.Id,
            Tags = { operation.Tag },
            RequestOptions = { new ExecutePlanRequest.Types.RequestOption { ReattachOptions = new ReattachOptions { Reattachable = true } } },
        };
        ObserveServerSession(value => request.ClientObservedServerSideSessionId = value);
        return request;
    }

    private ReattachExecuteRequest ReattachRequest(SparkOperation operation)
    {
        var request = new ReattachExecuteRequest { SessionId = SessionId, UserContext = _user, ClientType = _settings.ClientType, OperationId = operation.Id };
        // Unset, never empty, when nothing arrived yet: an empty cursor names no response and is refused.
        if (operation.LastResponseId is { } last)
        {
            request.LastResponseId = last;
        }

        ObserveServerSession(value => request.ClientObservedServerSideSessionId = value);
        return request;
    }

    private InterruptRequest NewInterruptRequest(InterruptRequest.Types.InterruptType type)
    {
        var request = new InterruptRequest { SessionId = SessionId, UserContext = _user, ClientType = _settings.ClientType, InterruptType = type };
        ObserveServerSession(value => request.ClientObservedServerSideSessionId = value);
        return request;
    }

    /// <summary>
    /// Stops the operation on the server: cancelling the call alone would leave it running, detached. An ExecutePlan
    /// cancelled on its way may reach the server after the interrupt, which then finds nothing: so an interrupt that
    /// finds nothing is sent again, up to <c>retry.attempts</c> times with the retries' back-off.
    /// </summary>
    private async Task InterruptOperationAsync(string operationId)
    {
        var request = NewInterruptRequest(InterruptRequest.Types.InterruptType.OperationId);
        request.OperationId = operationId;
        var backoff = _settings.RetryMinBackoff;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var response = await UnaryAsync(options => _service.InterruptAsync(request, options), CancellationToken.None);
                if (response.InterruptedIds.Contains(operationId) || attempt > _settings.RetryAttempts)
                {
                    _log.Info("Spark Connect: operation {0} cancelled; the server interrupted {1} operation(s) after {2} interrupt(s)", operationId, response.InterruptedIds.Count, attempt);
                    return;
                }
            }
            catch (Exception error) when (error is RpcException or OperationCanceledException)
            {
                _log.Warning("Spark Connect: operation {0} cancelled, but interrupting it failed ({1}); the server drops it after its detached timeout", operationId, error.Message);
                return;
            }

            await Task.Delay(backoff);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _settings.RetryMaxBackoff.Ticks));
        }
    }

    private async Task ReleaseOperationAsync(string operationId)
    {
        var request = new ReleaseExecuteRequest
        {
            SessionId = SessionId,
            UserContext = _user,
            ClientType = _settings.ClientType,
            OperationId = operationId,
            ReleaseAll = new ReleaseExecuteRequest.Types.ReleaseAll(),
        };
        ObserveServerSession(value => request.ClientObservedServerSideSessionId = value);
        try
        {
            await UnaryAsync(options => _service.ReleaseExecuteAsync(request, options), CancellationToken.None);
        }
        catch (Exception error) when (error is RpcException or OperationCanceledException)
        {
            _log.Warning("Spark Connect: releasing operation {0} failed ({1}); the server drops it after its detached timeout", operationId, error.Message);
        }
    }

    private async Task<T> UnaryAsync<T>(Func<CallOptions, AsyncUnaryCall<T>> call, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_settings.RpcTimeout);
        try
        {
            return await call(new CallOptions(cancellationToken: timeout.Token));
        }
        catch (Exception error) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested && IsCancellation(error))
        {
            throw new TimeoutException($"Spark Connect did not answer within aero.jobs.spark-connect.rpc-timeout ({_settings.RpcTimeout}).");
        }
        catch (RpcException error) when (error.StatusCode != StatusCode.Unimplemented)
        {
            throw await ToSparkExceptionAsync(error, SparkErrorInfo.From(error));
        }
    }

    /// <summary>Spark's error with its class; the full message from FetchErrorDetails when the server offers it.</summary>
    private async Task<SparkConnectException> ToSparkExceptionAsync(RpcException error, SparkErrorInfo info)
    {
        var message = info.Message;
        var errorClass = info.ErrorClass;
        var sqlState = info.SqlState;
        if (info.ErrorId.Length > 0)
        {
            var request = new FetchErrorDetailsRequest { SessionId = SessionId, UserContext = _user, ClientType = _settings.ClientType, ErrorId = info.ErrorId };
            try
            {
                using var timeout = new CancellationTokenSource(_settings.RpcTimeout);
                var details = await _service.FetchErrorDetailsAsync(request, new CallOptions(cancellationToken: timeout.Token));
                if (details.HasRootErrorIdx && details.RootErrorIdx >= 0 && details.RootErrorIdx < details.Errors.Count)
                {
                    var root = details.Errors[details.RootErrorIdx];
                    message = root.Message.Length > 0 ? root.Message : message;
                    errorClass = root.SparkThrowable is { HasErrorClass: true } throwable ? throwable.ErrorClass : errorClass;
                    sqlState = root.SparkThrowable is { HasSqlState: true } state ? state.SqlState : sqlState;
                }
            }
            catch (Exception fetch) when (fetch is RpcException or OperationCanceledException)
            {
                _log.Info("Spark Connect: no details for error {0} ({1}); keeping the error's own summary", info.ErrorId, fetch.Message);
            }
        }

        _log.Warning("Spark Connect: {0} [{1}] {2}", error.StatusCode, errorClass, message);
        return new SparkConnectException(errorClass, sqlState, message, error.StatusCode.ToString(), error);
    }

    /// <summary>Every response must belong to this session, and the server's side of it must not change underneath.</summary>
    private void CheckSession(string sessionId, string serverSessionId)
    {
        if (sessionId.Length > 0 && sessionId != SessionId)
        {
            throw new InvalidDataException($"Spark Connect answered for session {sessionId}, not this client's session {SessionId}.");
        }

        if (serverSessionId.Length == 0)
        {
            return;
        }

        var previous = Interlocked.CompareExchange(ref _serverSessionId, serverSessionId, string.Empty);
        if (previous.Length > 0 && previous != serverSessionId)
        {
            throw new SparkConnectException("INVALID_HANDLE.SESSION_CHANGED", string.Empty, $"the server's session {previous} was replaced by {serverSessionId} (a restarted server); this session's state is gone.", string.Empty);
        }
    }

    private void ObserveServerSession(Action<string> set)
    {
        var observed = Volatile.Read(ref _serverSessionId);
        if (observed.Length > 0)
        {
            set(observed);
        }
    }

    /// <summary>
    /// A call cancelled by Aero's own token. Grpc.Net.Client mostly throws OperationCanceledException for it, but a
    /// cancellation that races the call's start or end comes as RpcException CANCELLED instead.
    /// </summary>
    private static bool IsCancellation(Exception error) => error is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled };

    private static void CheckTag(string tag)
    {
        if (tag.Length == 0 || tag.Contains(',', StringComparison.Ordinal))
        {
            throw new ArgumentException($"A Spark Connect operation tag must be non-empty and without commas, got \"{tag}\".", nameof(tag));
        }
    }

    private static GrpcChannelOptions ChannelOptions(SparkConnectSettings settings, Uri endpoint)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = settings.ConnectTimeout,
            KeepAlivePingDelay = settings.KeepAlivePing,
            KeepAlivePingTimeout = settings.KeepAlivePing,
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        };
        if (settings.TlsCaFile.Length > 0)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = TrustedBy(settings.TlsCaFile);
        }

        var secure = endpoint.Scheme == Uri.UriSchemeHttps;
        var credentials = !secure ? ChannelCredentials.Insecure
            : settings.Token.Length == 0 ? ChannelCredentials.SecureSsl
            : ChannelCredentials.Create(ChannelCredentials.SecureSsl, BearerToken(settings.Token));
        return new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            Credentials = credentials,
            MaxReceiveMessageSize = (int)settings.MaxReceiveMessageSize,
            ThrowOperationCanceledOnCancellation = true,
        };
    }

    private static CallCredentials BearerToken(string token) => CallCredentials.FromInterceptor((_, metadata) =>
    {
        metadata.Add("authorization", $"Bearer {token}");
        return Task.CompletedTask;
    });

    /// <summary>A server certificate is trusted when it chains to the CA in <paramref name="caFile"/> (and names the host).</summary>
    private static RemoteCertificateValidationCallback TrustedBy(string caFile)
    {
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(caFile);
        return (_, certificate, _, errors) =>
        {
            if (errors == SslPolicyErrors.None)
            {
                return true;
            }

            if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return chain.Build(presented);
        };
    }
}
