using System.Security.Cryptography.X509Certificates;
using Aero.Actors.Jobs.SparkConnect;
using Aero.FakeSparkConnect;
using Akka.Configuration;
using Xunit;

namespace Aero.Actors.Tests.SparkConnect;

/// <summary>Issue 18 §2: the bearer token travels over TLS only, and never reaches a log line or an exception.</summary>
public sealed class SparkConnectTokenSpec : IDisposable
{
    private const string Token = "spark-token-7f3c9a1e";
    private const string WrongToken = "wrong-token-b52d0c44";

    private readonly X509Certificate2 _certificate = LoopbackCertificate.Create("spark-connect");
    private readonly string _caFile = Path.Combine(Path.GetTempPath(), $"aero-spark-ca-{Guid.NewGuid():N}.pem");

    public SparkConnectTokenSpec() => File.WriteAllText(_caFile, _certificate.ExportCertificatePem());

    [Fact]
    public async Task The_token_should_reach_the_server_over_TLS_and_never_a_log_or_an_exception()
    {
        await using var server = await FakeSparkConnectServer.StartAsync(new FakeSparkConnectOptions
        {
            Token = Token,
            Certificate = _certificate,
            RowsPerBatch = 1,
            BatchDelay = TimeSpan.FromMilliseconds(20),
        });
        var settings = SparkConnectSpecs.Settings(server).WithTlsCaFile(_caFile).WithToken(Token);
        var log = new RecordingLog();
        await using var client = new SparkConnectClient(settings, log);

        // A run that succeeds, one that fails on the server, one cancelled (interrupt and release), one refused token.
        var result = await client.ExecuteSqlAsync("SELECT count(*) AS flights FROM flights", "job-14", CancellationToken.None);
        var failed = await Assert.ThrowsAsync<SparkConnectException>(() => client.ExecuteSqlAsync("SELECT * FROM missing", "job-14", CancellationToken.None));
        using var cancel = new CancellationTokenSource();
        var cancelled = client.ExecuteSqlAsync("SELECT range FROM range(100000)", "job-15", cancel.Token);
        await server.WaitForBatchesAsync("job-15", 1, SparkConnectSpecs.Patience);
        await cancel.CancelAsync();
        var cancellation = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        await using var intruder = new SparkConnectClient(settings.WithToken(WrongToken), log);
        var refused = await Assert.ThrowsAsync<SparkConnectException>(() => intruder.ExecuteSqlAsync("SELECT 1", "job-16", CancellationToken.None));

        Assert.Equal([[(long)FakeSparkConnectServer.FlightRows]], result.Rows.Select(row => row.ToArray()).ToArray());
        Assert.Equal("TABLE_OR_VIEW_NOT_FOUND", failed.ErrorClass);
        Assert.Equal("Unauthenticated", refused.GrpcStatus);
        Assert.Equal("https", server.Endpoint.Scheme);
        Assert.All(server.Requests.Where(request => request.SessionId == client.SessionId), request => Assert.Equal($"Bearer {Token}", request.Authorization));
        Assert.Contains(server.Requests, request => request.Rpc == "Interrupt");
        string[] written = [.. log.Lines, failed.ToString(), cancellation.ToString(), refused.ToString(), settings.ToString(), settings.WithToken(WrongToken).ToString()];
        Assert.NotEmpty(log.Lines);
        Assert.All(written, text => Assert.DoesNotContain(Token, text, StringComparison.Ordinal));
        Assert.All(written, text => Assert.DoesNotContain(WrongToken, text, StringComparison.Ordinal));
    }

    [Fact]
    public void A_token_should_be_refused_over_plain_http()
    {
        var settings = SparkConnectSettings.Create(SparkConnectSpecs.NodeDefaults()).WithEndpoint(new Uri("http://127.0.0.1:15002"));

        var error = Assert.Throws<ConfigurationException>(() => settings.WithToken(Token));

        Assert.Contains("aero.jobs.spark-connect.token", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _certificate.Dispose();
        File.Delete(_caFile);
    }
}
