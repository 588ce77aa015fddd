using System.Globalization;

namespace Aero.Streams.Extract.OpenSky;

/// <summary>The area to ask OpenSky about, in WGS-84 degrees (the lamin/lomin/lamax/lomax query parameters).</summary>
public sealed record OpenSkyBoundingBox
{
    public OpenSkyBoundingBox(double laMin, double loMin, double laMax, double loMax)
    {
        if (!(laMin is >= -90 and <= 90) || !(laMax is >= -90 and <= 90) || laMin > laMax)
        {
            throw new ArgumentException($"bounding box latitudes must lie in [-90, 90] with lamin <= lamax, got {laMin}..{laMax}");
        }

        if (!(loMin is >= -180 and <= 180) || !(loMax is >= -180 and <= 180) || loMin > loMax)
        {
            throw new ArgumentException($"bounding box longitudes must lie in [-180, 180] with lomin <= lomax, got {loMin}..{loMax}");
        }

        LaMin = laMin;
        LoMin = loMin;
        LaMax = laMax;
        LoMax = loMax;
    }

    public double LaMin { get; }
    public double LoMin { get; }
    public double LaMax { get; }
    public double LoMax { get; }

    internal string ToQuery() =>
        string.Create(CultureInfo.InvariantCulture, $"lamin={LaMin}&lomin={LoMin}&lamax={LaMax}&lomax={LoMax}");
}
