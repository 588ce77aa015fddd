using Aero.Flights;
using Akka.Configuration;

namespace Aero.Streams.Extract.OpenSky;

/// <summary>Immutable OpenSky poller settings, read from <c>aero.extract.opensky</c> (see reference.conf).</summary>
public sealed record OpenSkySettings
{
    /// <summary>The <see cref="Flights.FlightRecord.Source"/> of every record the poller emits.</summary>
    public const string SourceName = "opensky";

    public required Uri BaseUrl { get; init; }

    /// <summary>Minimum time between the starts of two polls.</summary>
    public required TimeSpan Interval { get; init; }

    /// <summary>Timeout of one HTTP attempt, body included.</summary>
    public required TimeSpan RequestTimeout { get; init; }

    /// <summary>Attempts per poll, the first included.</summary>
    public required int MaxAttempts { get; init; }

    /// <summary>Delay before the first retry; later retries back off exponentially, with jitter.</summary>
    public required TimeSpan RetryBackoff { get; init; }

    public required TimeSpan MaxRetryBackoff { get; init; }

    /// <summary>What a poll whose retries ran out does: stop the source (a gap in the feed) or skip it.</summary>
    public OpenSkyPollFailure PollFailure { get; init; }

    /// <summary>Null asks for the whole world.</summary>
    public OpenSkyBoundingBox? BoundingBox { get; init; }

    /// <summary>Null polls anonymously.</summary>
    public OpenSkyCredentials? Credentials { get; init; }

    /// <summary>Settings from the <c>aero.extract.opensky</c> section of <paramref name="config"/>, over the reference defaults.</summary>
    public static OpenSkySettings Create(Config? config = null)
    {
        var section = AeroStreamsConfig.WithDefaults(config).GetConfig("aero.extract.opensky");
        var settings = new OpenSkySettings
        {
            BaseUrl = new Uri(section.GetString("base-url"), UriKind.Absolute),
            Interval = section.GetTimeSpan("interval"),
            RequestTimeout = section.GetTimeSpan("request-timeout"),
            MaxAttempts = section.GetInt("max-attempts"),
            RetryBackoff = section.GetTimeSpan("retry-backoff"),
            MaxRetryBackoff = section.GetTimeSpan("max-retry-backoff"),
            PollFailure = ReadPollFailure(section),
            BoundingBox = ReadBoundingBox(section),
            Credentials = ReadCredentials(section),
        };
        settings.Validate();
        return settings;
    }

    /// <summary>Settings from the actor system's configuration.</summary>
    public static OpenSkySettings Create(Akka.Actor.ActorSystem system) => Create(system.Settings.Config);

    public OpenSkySettings WithBaseUrl(Uri baseUrl) => this with { BaseUrl = baseUrl };

    public OpenSkySettings WithInterval(TimeSpan interval) => Checked(this with { Interval = interval });

    public OpenSkySettings WithRequestTimeout(TimeSpan timeout) => Checked(this with { RequestTimeout = timeout });

    public OpenSkySettings WithMaxAttempts(int maxAttempts) => Checked(this with { MaxAttempts = maxAttempts });

    public OpenSkySettings WithRetryBackoff(TimeSpan backoff, TimeSpan maxBackoff) =>
        Checked(this with { RetryBackoff = backoff, MaxRetryBackoff = maxBackoff });

    public OpenSkySettings WithPollFailure(OpenSkyPollFailure pollFailure) => this with { PollFailure = pollFailure };

    public OpenSkySettings WithBoundingBox(OpenSkyBoundingBox? boundingBox) => this with { BoundingBox = boundingBox };

    public OpenSkySettings WithCredentials(OpenSkyCredentials? credentials) => this with { Credentials = credentials };

    /// <summary>The states endpoint with the bounding box, if any.</summary>
    internal Uri StatesUri()
    {
        var uri = new Uri(BaseUrl, BaseUrl.AbsolutePath.TrimEnd('/') + "/api/states/all");
        return BoundingBox is null ? uri : new UriBuilder(uri) { Query = BoundingBox.ToQuery() }.Uri;
    }

    internal void Validate()
    {
        if (Interval <= TimeSpan.Zero)
        {
            throw new ConfigurationException($"aero.extract.opensky.interval must be positive, got {Interval}.");
        }

        // Polly's timeout strategy accepts 10 ms to 24 h; saying so here beats a validation error at materialization.
        if (RequestTimeout < TimeSpan.FromMilliseconds(10) || RequestTimeout > TimeSpan.FromHours(24))
        {
            throw new ConfigurationException($"aero.extract.opensky.request-timeout must lie between 10ms and 24h, got {RequestTimeout}.");
        }

        if (MaxAttempts < 1)
        {
            throw new ConfigurationException($"aero.extract.opensky.max-attempts must be at least 1, got {MaxAttempts}.");
        }

        if (RetryBackoff < TimeSpan.Zero || MaxRetryBackoff < RetryBackoff || MaxRetryBackoff > TimeSpan.FromDays(1))
        {
            throw new ConfigurationException(
                $"aero.extract.opensky.retry-backoff ({RetryBackoff}) must be >= 0 and <= max-retry-backoff ({MaxRetryBackoff}), itself at most 1 day.");
        }
    }

    private static OpenSkySettings Checked(OpenSkySettings settings)
    {
        settings.Validate();
        return settings;
    }

    private static OpenSkyPollFailure ReadPollFailure(Config section) => section.GetString("poll-failure") switch
    {
        "fail" => OpenSkyPollFailure.Fail,
        "skip" => OpenSkyPollFailure.Skip,
        var other => throw new ConfigurationException($"aero.extract.opensky.poll-failure must be fail or skip, got \"{other}\"."),
    };

    private static OpenSkyBoundingBox? ReadBoundingBox(Config section)
    {
        var box = section.GetDoubleList("bounding-box");
        return box.Count switch
        {
            0 => null,
            4 => new OpenSkyBoundingBox(box[0], box[1], box[2], box[3]),
            _ => throw new ConfigurationException(
                $"aero.extract.opensky.bounding-box must be empty or [lamin, lomin, lamax, lomax], got {box.Count} numbers."),
        };
    }

    private static OpenSkyCredentials? ReadCredentials(Config section)
    {
        var username = section.GetString("username", "");
        var password = section.GetString("password", "");
        var token = section.GetString("token", "");
        if (!string.IsNullOrEmpty(token))
        {
            return string.IsNullOrEmpty(username)
                ? OpenSkyCredentials.Bearer(token)
                : throw new ConfigurationException("aero.extract.opensky: set either token or username/password, not both.");
        }

        if (string.IsNullOrEmpty(username) != string.IsNullOrEmpty(password))
        {
            throw new ConfigurationException("aero.extract.opensky.username and password must be set together.");
        }

        return string.IsNullOrEmpty(username) ? null : OpenSkyCredentials.Basic(username, password);
    }
}
