using System.Text;
using Aero.Streams.Extract;
using Aero.Streams.Extract.OpenSky;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.TestKit;
using Akka.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Streams.Tests.Extract.OpenSky;

[Collection(ExtractCounters.Collection)]
public sealed class OpenSkySourceSpec : Akka.TestKit.Xunit2.TestKit, IAsyncLifetime
{
    private const string Airborne = """["a0b1c2","UAL123  ","United States",1700000000,1700000001,-122.38,37.62,10668.0,false,231.5,90.0,0.0,null,10900.0,"1200",false,0]""";

    // No callsign, no position time, no barometric altitude, and the optional 18th element (category).
    private const string OnGround = """["3c6444",null,"Germany",null,1700000005,8.56,50.03,null,true,0.0,null,null,null,120.5,null,false,0,1]""";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private ScriptedOpenSkyServer _server = null!;

    public OpenSkySourceSpec(ITestOutputHelper output)
        : base("akka.loglevel = DEBUG", output: output)
    {
        Materializer = Sys.Materializer();
    }

    private IMaterializer Materializer { get; }

    public async Task InitializeAsync() => _server = await ScriptedOpenSkyServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task State_vectors_should_map_onto_flight_records_with_their_original_json()
    {
        _server.ThenStates(Airborne, OnGround);

        var probe = Run(Settings());
        var airborne = await probe.RequestNextAsync();
        var onGround = await probe.RequestNextAsync();

        var flight = airborne.Flight!;
        Assert.Equal("a0b1c2-UAL123", flight.FlightId);
        Assert.Equal("UAL123", flight.FlightNumber);
        Assert.Equal("UAL", flight.Airline);
        Assert.Equal(37.62, flight.Latitude);
        Assert.Equal(-122.38, flight.Longitude);
        Assert.Equal(10668.0, flight.Altitude);
        Assert.Equal(231.5, flight.Speed);
        Assert.Equal("airborne", flight.Status);
        Assert.Equal(new DateTime(2023, 11, 14, 22, 13, 20, DateTimeKind.Utc), flight.Timestamp);
        Assert.Equal(DateTimeKind.Utc, flight.Timestamp.Kind);
        Assert.Equal("opensky", flight.Source);
        Assert.Equal(0, flight.SourcePosition);
        Assert.Equal(Airborne, Encoding.UTF8.GetString(airborne.Original));
        Assert.Equal(new SourceLocation("opensky", null, 0), airborne.Location);

        var parked = onGround.Flight!;
        Assert.Equal("3c6444", parked.FlightId);
        Assert.Null(parked.FlightNumber);
        Assert.Null(parked.Airline);
        Assert.Equal(120.5, parked.Altitude);
        Assert.Equal("on-ground", parked.Status);
        Assert.Equal(new DateTime(2023, 11, 14, 22, 13, 25, DateTimeKind.Utc), parked.Timestamp);
        Assert.Equal(1, parked.SourcePosition);
        Assert.Equal(OnGround, Encoding.UTF8.GetString(onGround.Original));
        Assert.Equal("/api/states/all", Assert.Single(_server.Requests).PathAndQuery);
    }

    [Fact]
    public async Task The_same_state_seen_in_two_polls_should_keep_its_event_id()
    {
        _server.ThenStates(Airborne, OnGround).ThenStates(Airborne);

        var probe = Run(Settings());
        var first = await probe.RequestNextAsync();
        var other = await probe.RequestNextAsync();
        var again = await probe.RequestNextAsync();

        Assert.Equal(first.Flight!.EventId, again.Flight!.EventId);
        Assert.NotEqual(first.Flight.EventId, other.Flight!.EventId);
        Assert.Equal(2, again.Flight.SourcePosition);
    }

    [Fact]
    public async Task Null_states_should_emit_nothing_and_polling_should_go_on()
    {
        _server.ThenBody(ScriptedOpenSkyServer.EmptyBody).ThenBody(ScriptedOpenSkyServer.EmptyBody).ThenStates(Airborne);

        var probe = Run(Settings());

        Assert.Equal("a0b1c2-UAL123", (await probe.RequestNextAsync()).Flight!.FlightId);
        Assert.Equal(3, _server.Requests.Count);
    }

    [Theory]
    [InlineData("Retry-After")]
    [InlineData("X-Rate-Limit-Retry-After-Seconds")]
    public async Task A_rate_limited_poll_should_wait_as_long_as_the_server_says(string header)
    {
        _server.ThenStatus(429, header, "1").ThenStates(Airborne);

        var probe = Run(Settings());

        Assert.False((await probe.RequestNextAsync()).IsRejected);
        var requests = _server.Requests;
        Assert.Equal(2, requests.Count);
        Assert.True(
            requests[1].ArrivedAt - requests[0].ArrivedAt >= TimeSpan.FromSeconds(1),
            $"retried {requests[1].ArrivedAt - requests[0].ArrivedAt} after a 429 that asked for 1 s");
    }

    [Fact]
    public async Task A_rate_limited_poll_should_wait_until_a_Retry_After_date()
    {
        var retryAt = DateTimeOffset.MinValue;
        _server.Then(context =>
        {
            // HTTP dates have whole seconds: two seconds ahead, truncated, is between one and two seconds away.
            retryAt = DateTimeOffset.UtcNow.AddSeconds(2);
            context.Response.StatusCode = 429;
            context.Response.Headers.RetryAfter = retryAt.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            retryAt = DateTimeOffset.FromUnixTimeSeconds(retryAt.ToUnixTimeSeconds());
            return Task.CompletedTask;
        }).ThenStates(Airborne);

        var probe = Run(Settings());

        Assert.False((await probe.RequestNextAsync()).IsRejected);
        Assert.True(_server.Requests[1].ArrivedAtUtc >= retryAt, $"retried at {_server.Requests[1].ArrivedAtUtc:O}, asked for {retryAt:O}");
    }

    [Fact]
    public async Task A_rate_limited_poll_without_retries_left_should_delay_the_next_poll_as_the_server_says()
    {
        _server.ThenStatus(429, "X-Rate-Limit-Retry-After-Seconds", "1").ThenStates(Airborne);

        var probe = Run(Settings().WithMaxAttempts(1).WithPollFailure(OpenSkyPollFailure.Skip));

        Assert.False((await probe.RequestNextAsync()).IsRejected);
        var requests = _server.Requests;
        Assert.Equal(2, requests.Count);
        Assert.True(requests[1].ArrivedAt - requests[0].ArrivedAt >= TimeSpan.FromSeconds(1), $"polled again {requests[1].ArrivedAt - requests[0].ArrivedAt} after a 429 that asked for 1 s");
    }

    [Fact]
    public async Task Server_errors_should_be_retried_until_records_arrive()
    {
        _server.ThenStatus(503).ThenStatus(500).ThenStates(Airborne);

        var probe = Run(Settings());

        Assert.Equal("a0b1c2-UAL123", (await probe.RequestNextAsync()).Flight!.FlightId);
        Assert.Equal(3, _server.Requests.Count);
    }

    [Fact]
    public async Task A_response_slower_than_the_request_timeout_should_be_retried()
    {
        var timeout = TimeSpan.FromMilliseconds(150);
        _server.ThenHang().ThenStates(Airborne);

        var probe = Run(Settings().WithRequestTimeout(timeout));

        Assert.Equal("a0b1c2-UAL123", (await probe.RequestNextAsync()).Flight!.FlightId);
        var requests = _server.Requests;
        Assert.Equal(2, requests.Count);
        // The retry came after the attempt timed out, not on an early error (less a little: timers may fire a ms early).
        Assert.True(requests[1].ArrivedAt - requests[0].ArrivedAt >= timeout * 0.9, $"retried after {requests[1].ArrivedAt - requests[0].ArrivedAt}");
    }

    [Fact]
    public async Task A_poll_whose_retries_run_out_should_be_skipped_with_a_warning_and_polling_should_go_on_when_set_to_skip()
    {
        _server.ThenStatus(500).ThenStatus(502).ThenStates(Airborne);
        var logs = LogProbe();
        using var metrics = new ExtractCounters();

        var probe = Run(Settings().WithMaxAttempts(2).WithPollFailure(OpenSkyPollFailure.Skip));

        Assert.Equal("a0b1c2-UAL123", (await probe.RequestNextAsync()).Flight!.FlightId);
        Assert.Equal(3, _server.Requests.Count);
        var warning = await logs.FishForMessageAsync<Warning>(w => w.Message.ToString()!.Contains("OpenSky poll failed", StringComparison.Ordinal), Patience);
        Assert.Contains("HTTP 502", warning.Message.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, metrics["aero_extract_poll_failures"]);
    }

    [Fact]
    public async Task Network_errors_should_skip_polls_and_never_fail_the_stream_when_set_to_skip()
    {
        var logs = LogProbe();
        var refusing = await ScriptedOpenSkyServer.StartAsync();
        var baseUrl = refusing.BaseUrl;
        // Nothing listens on the port any more: connections are refused.
        await refusing.DisposeAsync();

        var probe = Run(Settings().WithBaseUrl(baseUrl).WithMaxAttempts(2).WithPollFailure(OpenSkyPollFailure.Skip));
        probe.Request(1);

        for (var skipped = 0; skipped < 2; skipped++)
        {
            var warning = await logs.FishForMessageAsync<Warning>(w => w.Message.ToString()!.Contains("OpenSky poll failed", StringComparison.Ordinal), Patience);
            Assert.Contains("HttpRequestException", warning.Message.ToString(), StringComparison.Ordinal);
        }

        // Still running, still waiting for records: no error, no completion.
        await probe.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Malformed_bodies_and_state_vectors_should_be_rejected_and_polling_should_go_on()
    {
        _server
            .ThenBody("<html>maintenance</html>")
            .ThenBody("""{"time":1700000000,"states":{"a0b1c2":[]}}""")
            .ThenStates("""["a0b1c2"]""", """[null,"UAL1","United States",1,2,0,0,0,false,0,0,0,null,0,null,false,0]""", "42", Airborne);

        using var metrics = new ExtractCounters();
        var probe = Run(Settings());
        var notJson = await probe.RequestNextAsync();
        var wrongShape = await probe.RequestNextAsync();
        var tooShort = await probe.RequestNextAsync();
        var noIcao = await probe.RequestNextAsync();
        var notArray = await probe.RequestNextAsync();
        var good = await probe.RequestNextAsync();

        Assert.Contains("not JSON", notJson.Rejection, StringComparison.Ordinal);
        Assert.Equal("<html>maintenance</html>", Encoding.UTF8.GetString(notJson.Original));
        Assert.Contains("\"states\" is Object", wrongShape.Rejection, StringComparison.Ordinal);
        Assert.Contains("17 or 18 elements, got 1", tooShort.Rejection, StringComparison.Ordinal);
        Assert.Equal("""["a0b1c2"]""", Encoding.UTF8.GetString(tooShort.Original));
        Assert.Contains("icao24", noIcao.Rejection, StringComparison.Ordinal);
        Assert.Contains("must be an array", notArray.Rejection, StringComparison.Ordinal);
        Assert.False(good.IsRejected);
        Assert.Equal(5, good.Location.Position);
        Assert.Equal(3, metrics["aero_extract_polls"]);
        Assert.Equal(5, metrics["aero_extract_rejections"]);
        Assert.Equal(1, metrics["aero_extract_records"]);
        Assert.Equal(0, metrics["aero_extract_poll_failures"]);
    }

    [Fact]
    public async Task The_bounding_box_and_basic_credentials_should_reach_the_server()
    {
        _server.ThenStates(Airborne);
        var settings = Settings()
            .WithBoundingBox(new OpenSkyBoundingBox(45.8, 5.9, 47.8, 10.5))
            .WithCredentials(OpenSkyCredentials.Basic("aero", "s3cret-pa55"));

        await Run(settings).RequestNextAsync();

        var request = _server.Requests[0];
        Assert.Equal("/api/states/all?lamin=45.8&lomin=5.9&lamax=47.8&lomax=10.5", request.PathAndQuery);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("aero:s3cret-pa55")), request.Authorization);
    }

    [Fact]
    public async Task A_bearer_token_should_reach_the_server()
    {
        _server.ThenStates(Airborne);

        await Run(Settings().WithCredentials(OpenSkyCredentials.Bearer("t0ken-value"))).RequestNextAsync();

        Assert.Equal("Bearer t0ken-value", _server.Requests[0].Authorization);
    }

    [Fact]
    public async Task Refused_credentials_should_fail_the_stream_naming_the_setting_but_never_the_secret()
    {
        const string password = "s3cret-pa55";
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes("aero:" + password));
        // A retried 5xx first, so the retry path's logging is covered too.
        _server.ThenStatus(500).ThenStatus(401);
        var logs = LogProbe();
        var settings = Settings().WithCredentials(OpenSkyCredentials.Basic("aero", password));

        var probe = Run(settings);
        probe.Request(1);
        var error = await probe.ExpectErrorAsync();

        Assert.IsType<OpenSkyAuthenticationException>(error);
        Assert.Contains("aero.extract.opensky.username/password", error.Message, StringComparison.Ordinal);
        Assert.Contains("401", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, _server.Requests.Count);
        var logged = string.Join("\n", logs.ReceiveWhile<LogEvent>(TimeSpan.FromMilliseconds(200), m => (LogEvent)m).Select(e => e.ToString()));
        Assert.Contains("HTTP 500", logged, StringComparison.Ordinal);
        foreach (var text in new[] { error.ToString(), logged, settings.ToString() })
        {
            Assert.DoesNotContain(password, text, StringComparison.Ordinal);
            Assert.DoesNotContain(encoded, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Polls_should_wait_for_demand_and_for_the_interval()
    {
        var interval = TimeSpan.FromMilliseconds(200);
        _server.ThenStates(Airborne).ThenStates(Airborne).ThenStates(Airborne);

        var probe = Run(Settings().WithInterval(interval));
        await probe.RequestNextAsync();
        // No demand, no poll, however long the interval has passed.
        await probe.ExpectNoMsgAsync(interval * 2);
        Assert.Single(_server.Requests);

        // The second poll starts on this demand (its interval passed long ago), the third an interval after that
        // start. Measured from the demand, not from the second request's arrival, which a loaded machine may delay.
        var demanded = _server.Now;
        probe.Request(2);
        await probe.ExpectNextAsync();
        await probe.ExpectNextAsync();

        var requests = _server.Requests;
        Assert.Equal(3, requests.Count);
        Assert.True(requests[2].ArrivedAt - demanded >= interval, $"the third poll came {requests[2].ArrivedAt - demanded} after the demand for two, with an interval of {interval}");
    }

    private OpenSkySettings Settings() => OpenSkySettings.Create()
        .WithBaseUrl(_server.BaseUrl)
        .WithInterval(TimeSpan.FromMilliseconds(20))
        .WithRequestTimeout(TimeSpan.FromSeconds(2))
        .WithRetryBackoff(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(50));

    private TestSubscriber.Probe<ExtractedRecord> Run(OpenSkySettings settings) =>
        OpenSkySource.Create(settings).RunWith(this.SinkProbe<ExtractedRecord>(), Materializer);

    private TestProbe LogProbe()
    {
        var probe = CreateTestProbe();
        Sys.EventStream.Subscribe(probe.Ref, typeof(LogEvent));
        return probe;
    }
}
