namespace Aero.Streams.Extract.OpenSky;

/// <summary>
/// A poll failed after its last attempt: the states of that moment are a gap in the feed, so the source stops
/// (<c>aero.extract.opensky.poll-failure = fail</c>, the default).
/// </summary>
public sealed class OpenSkyPollFailedException : Exception
{
    public OpenSkyPollFailedException()
    {
    }

    public OpenSkyPollFailedException(string message)
        : base(message)
    {
    }

    public OpenSkyPollFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
