namespace Aero.Streams.Transform;

/// <summary>What the transform does with a record naming an airport the reference lacks (<c>aero.transform.unknown-airport</c>).</summary>
public enum UnknownAirportPolicy
{
    /// <summary>Transformed without that airport's fields, and counted (<c>aero_transform_unknown_airports</c>).</summary>
    Keep,

    /// <summary>A dead letter whose reason names the code.</summary>
    DeadLetter,
}
