namespace Aero.Streams.Extract.OpenSky;

/// <summary>What a poll whose retries ran out does (<c>aero.extract.opensky.poll-failure</c>).</summary>
public enum OpenSkyPollFailure
{
    /// <summary>Stop the source with <see cref="OpenSkyPollFailedException"/>: a gap in the feed is an error.</summary>
    Fail,

    /// <summary>Log a warning, count it, and poll again at the next interval.</summary>
    Skip,
}
