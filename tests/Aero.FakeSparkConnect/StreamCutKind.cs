namespace Aero.FakeSparkConnect;

/// <summary>How a scripted <see cref="StreamCut"/> ends a result stream.</summary>
public enum StreamCutKind
{
    /// <summary>A normal end without ResultComplete, as Spark ends a segment after senderMaxStreamDuration.</summary>
    EndEarly,

    /// <summary>The call fails with UNAVAILABLE, as when a proxy drops the stream.</summary>
    Unavailable,

    /// <summary>The HTTP/2 stream is reset under the call, as a broken connection does.</summary>
    Abort,
}
