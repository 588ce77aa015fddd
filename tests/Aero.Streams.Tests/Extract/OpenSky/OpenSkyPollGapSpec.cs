using Aero.Streams.Extract;
using Aero.Streams.Extract.OpenSky;
using Akka.Configuration;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.TestKit;
using Akka.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Streams.Tests.Extract.OpenSky;

/// <summary>
/// No silent loss: a poll whose retries ran out is a gap in the feed (the states of that moment are never seen), so by
/// default it stops the source with the reason, counted and logged; <c>poll-failure = skip</c> polls on instead.
/// </summary>
[Collection(ExtractCounters.Collection)]
public sealed class OpenSkyPollGapSpec : Akka.TestKit.Xunit2.TestKit, IAsyncLifetime
{
    private const string Airborne = """["a0b1c2","UAL123  ","United States",1700000000,1700000001,-122.38,37.62,10668.0,false,231.5,90.0,0.0,null,10900.0,"1200",false,0]""";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private ScriptedOpenSkyServer _server = null!;

    public OpenSkyPollGapSpec(ITestOutputHelper output)
        : base("akka.loglevel = DEBUG", output: output)
    {
    }

    public async Task InitializeAsync() => _server = await ScriptedOpenSkyServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    // No silent loss: a poll skipped after its retries was a gap nobody had to notice.
    [Fact]
    public async Task A_poll_whose_retries_run_out_should_fail_the_source_naming_the_gap_by_default()
    {
        _server.ThenStates(Airborne).ThenStatus(500).ThenStatus(502).ThenStates(Airborne);
        var logs = CreateTestProbe();
        Sys.EventStream.Subscribe(logs.Ref, typeof(Error));
        using var metrics = new ExtractCounters();

        var probe = OpenSkySource.Create(Settings()).RunWith(this.SinkProbe<ExtractedRecord>(), Sys.Materializer());
        Assert.False((await probe.RequestNextAsync()).IsRejected);
        probe.Request(1);
        var error = await probe.ExpectErrorAsync();

        var gap = Assert.IsType<OpenSkyPollFailedException>(error);
        Assert.Contains("2 attempt(s)", gap.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 502", gap.Message, StringComparison.Ordinal);
        Assert.Contains("aero.extract.opensky.poll-failure", gap.Message, StringComparison.Ordinal);
        Assert.Equal(3, _server.Requests.Count);
        Assert.Equal(1, metrics["aero_extract_poll_failures"]);
        var logged = await logs.FishForMessageAsync<Error>(e => e.Message.ToString()!.Contains("OpenSky poll failed", StringComparison.Ordinal), Patience);
        Assert.Contains("HTTP 502", logged.Message.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Poll_failure_should_default_to_fail_and_refuse_other_values_naming_the_key()
    {
        Assert.Equal(OpenSkyPollFailure.Fail, OpenSkySettings.Create().PollFailure);
        Assert.Equal(OpenSkyPollFailure.Skip, OpenSkySettings.Create(ConfigurationFactory.ParseString("aero.extract.opensky.poll-failure = skip")).PollFailure);
        var error = Assert.Throws<ConfigurationException>(() => OpenSkySettings.Create(ConfigurationFactory.ParseString("aero.extract.opensky.poll-failure = ignore")));
        Assert.Contains("aero.extract.opensky.poll-failure", error.Message, StringComparison.Ordinal);
    }

    private OpenSkySettings Settings() => OpenSkySettings.Create()
        .WithBaseUrl(_server.BaseUrl)
        .WithInterval(TimeSpan.FromMilliseconds(20))
        .WithRequestTimeout(TimeSpan.FromSeconds(2))
        .WithMaxAttempts(2)
        .WithRetryBackoff(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(50));
}
