using Akka;
using Akka.Streams.Dsl;

namespace Aero.Streams.Extract.OpenSky;

/// <summary>
/// The OpenSky Network states API as an extract source: polls <c>{base-url}/api/states/all</c> every
/// <see cref="OpenSkySettings.Interval"/> at most, and only when downstream wants records, and emits one
/// <see cref="ExtractedRecord"/> per state vector. Transient failures are retried; a poll whose attempts all failed
/// stops the source (<see cref="OpenSkyPollFailedException"/>), or with <see cref="OpenSkyPollFailure.Skip"/> is skipped
/// with a warning. Refused credentials always stop it.
/// </summary>
public static class OpenSkySource
{
    /// <param name="settings">Where and how to poll.</param>
    /// <param name="httpClient">
    /// A client to share (not disposed by the source, and its own Timeout applies on top of the per-attempt one);
    /// null gives each materialization its own.
    /// </param>
    public static Source<ExtractedRecord, NotUsed> Create(OpenSkySettings settings, HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        return Source.FromGraph(new OpenSkySourceStage(settings, httpClient));
    }
}
