namespace Aero.Streams.Extract;

/// <summary>An inclusive range of plausible values for one field.</summary>
public readonly record struct PlausibleRange(double Min, double Max)
{
    public bool Contains(double value) => value >= Min && value <= Max;

    public override string ToString() => FormattableString.Invariant($"[{Min}, {Max}]");
}
