using System.Collections.Concurrent;
using System.Net;
using DuckDB.NET.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aero.FakeSparkConnect;

/// <summary>
/// An in-process Spark Connect server for the specs: Kestrel on 127.0.0.1 over HTTP/2 (TLS when given a
/// certificate), answering SQL from an in-memory DuckDB holding a small <c>flights</c> table, with scripted stream
/// cuts and a record of every call.
/// </summary>
public sealed class FakeSparkConnectServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly DuckDBConnection _database;
    private readonly ConcurrentDictionary<(string User, string Session), FakeSession> _sessions = new();
    private readonly ConcurrentQueue<StreamCut> _cuts = new();
    private readonly ConcurrentQueue<FakeRequest> _requests = new();

    private FakeSparkConnectServer(FakeSparkConnectOptions options)
    {
        Options = options;
        _database = new DuckDBConnection("DataSource=:memory:");
        _database.Open();
        Seed(_database);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            if (options.Certificate is { } certificate)
            {
                listen.UseHttps(certificate);
            }
        }));
        builder.Services.AddGrpc(grpc => grpc.MaxSendMessageSize = null);
        builder.Services.AddSingleton(this);
        builder.Services.AddSingleton<FakeSparkConnectService>();
        _app = builder.Build();
        _app.MapGrpcService<FakeSparkConnectService>();
    }

    public FakeSparkConnectOptions Options { get; }

    /// <summary>http://127.0.0.1:PORT (https with a certificate).</summary>
    public Uri Endpoint => new(_app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());

    public IReadOnlyList<FakeRequest> Requests => [.. _requests];

    public IReadOnlyCollection<FakeSession> Sessions => [.. _sessions.Values];

    /// <summary>The rows of the seeded <c>flights</c> table.</summary>
    public static int FlightRows => 12;

    public static async Task<FakeSparkConnectServer> StartAsync(FakeSparkConnectOptions? options = null)
    {
        var server = new FakeSparkConnectServer(options ?? new FakeSparkConnectOptions());
        await server._app.StartAsync();
        return server;
    }

    /// <summary>Scripts the next result streams, one cut per stream in order.</summary>
    public void CutStreams(params StreamCut[] cuts)
    {
        foreach (var cut in cuts)
        {
            _cuts.Enqueue(cut);
        }
    }

    /// <summary>The operation with this id, in whichever session it ran.</summary>
    public FakeOperation Operation(string operationId) =>
        _sessions.Values.Select(session => session.Operations.GetValueOrDefault(operationId)).Single(operation => operation is not null)!;

    /// <summary>Waits until an operation with this tag exists and has produced at least <paramref name="batches"/> batches.</summary>
    public async Task<FakeOperation> WaitForBatchesAsync(string tag, int batches, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            var operation = _sessions.Values.SelectMany(session => session.Operations.Values).FirstOrDefault(o => o.Tags.Contains(tag));
            if (operation is not null && operation.BatchesProduced >= batches)
            {
                return operation;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), deadline.Token);
        }
    }

    /// <summary>Runs SQL on the fake's DuckDB directly, to set up tables or read what a statement wrote.</summary>
    public async Task<List<object?[]>> QueryAsync(string sql)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var values = new object?[reader.FieldCount];
            reader.GetValues(values!);
            rows.Add(values);
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        foreach (var operation in _sessions.Values.SelectMany(session => session.Operations.Values))
        {
            operation.Interrupt();
            await operation.Stopped;
            operation.Dispose();
        }

        await _database.DisposeAsync();
    }

    internal DuckDBConnection Connect()
    {
        var connection = _database.Duplicate();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            connection.Open();
        }

        return connection;
    }

    internal FakeSession Session(string userId, string sessionId) => _sessions.GetOrAdd((userId, sessionId), key => new FakeSession(key.User, key.Session));

    internal StreamCut? TakeCut() => _cuts.TryDequeue(out var cut) ? cut : null;

    internal void Record(FakeRequest request) => _requests.Enqueue(request);

    private static void Seed(DuckDBConnection database)
    {
        using var command = database.CreateCommand();
        command.CommandText = """
            CREATE TABLE flights (carrier VARCHAR, origin VARCHAR, destination VARCHAR, departure_delay INTEGER, flight_date DATE);
            INSERT INTO flights VALUES
              ('AA', 'JFK', 'LAX', 5, DATE '2024-01-01'), ('AA', 'JFK', 'LAX', -3, DATE '2024-01-02'),
              ('AA', 'LAX', 'JFK', 42, DATE '2024-01-02'), ('DL', 'ATL', 'JFK', 0, DATE '2024-01-01'),
              ('DL', 'ATL', 'LAX', 17, DATE '2024-01-03'), ('DL', 'JFK', 'ATL', NULL, DATE '2024-01-03'),
              ('UA', 'ORD', 'SFO', 61, DATE '2024-01-01'), ('UA', 'SFO', 'ORD', 8, DATE '2024-01-02'),
              ('UA', 'ORD', 'LAX', -7, DATE '2024-01-04'), ('WN', 'DAL', 'HOU', 12, DATE '2024-01-01'),
              ('WN', 'HOU', 'DAL', 2, DATE '2024-01-02'), ('WN', 'DAL', 'LAS', 95, DATE '2024-01-05');
            """;
        command.ExecuteNonQuery();
    }
}
