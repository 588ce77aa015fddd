namespace Aero.Streams.Extract.OpenSky;

/// <summary>OpenSky refused the configured credentials: a configuration error, so the source fails.</summary>
public sealed class OpenSkyAuthenticationException : Exception
{
    public OpenSkyAuthenticationException()
    {
    }

    public OpenSkyAuthenticationException(string message)
        : base(message)
    {
    }

    public OpenSkyAuthenticationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
