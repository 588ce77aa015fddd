namespace Aero.Streams.Transform;

/// <summary>
/// The shortest distance between two points over the WGS-84 ellipsoid, by Lambert's formula (closed form, within about
/// ten metres at airline distances). A sphere would put JFK–LAX at 3,974 km, 9 km short of the 2,475 miles (3,983 km)
/// that flight data gives it; the ellipsoid agrees with the data.
/// </summary>
public static class GreatCircle
{
    public const double KilometresPerMile = 1.609344;
    private const double EquatorialRadiusKilometres = 6378.137;
    private const double Flattening = 1 / 298.257223563;

    public static double Kilometres(double latitude1, double longitude1, double latitude2, double longitude2)
    {
        // Reduced latitudes, then the central angle between them on the auxiliary sphere (haversine).
        var beta1 = Math.Atan((1 - Flattening) * Math.Tan(double.DegreesToRadians(latitude1)));
        var beta2 = Math.Atan((1 - Flattening) * Math.Tan(double.DegreesToRadians(latitude2)));
        var halfDeltaBeta = (beta2 - beta1) / 2;
        var halfDeltaLambda = double.DegreesToRadians(longitude2 - longitude1) / 2;
        var h = Square(Math.Sin(halfDeltaBeta)) + (Math.Cos(beta1) * Math.Cos(beta2) * Square(Math.Sin(halfDeltaLambda)));
        // Rounding can push h a hair past 1 for antipodes.
        var sigma = 2 * Math.Asin(Math.Sqrt(Math.Min(1, h)));
        if (sigma == 0 || Math.Cos(sigma / 2) == 0)
        {
            // The same point, or antipodes, where the correction divides by zero: the sphere's answer.
            return EquatorialRadiusKilometres * sigma;
        }

        var p = (beta1 + beta2) / 2;
        var q = (beta2 - beta1) / 2;
        var x = (sigma - Math.Sin(sigma)) * Square(Math.Sin(p)) * Square(Math.Cos(q)) / Square(Math.Cos(sigma / 2));
        var y = (sigma + Math.Sin(sigma)) * Square(Math.Cos(p)) * Square(Math.Sin(q)) / Square(Math.Sin(sigma / 2));
        return EquatorialRadiusKilometres * (sigma - (Flattening / 2 * (x + y)));
    }

    public static double Miles(double latitude1, double longitude1, double latitude2, double longitude2) =>
        Kilometres(latitude1, longitude1, latitude2, longitude2) / KilometresPerMile;

    private static double Square(double value) => value * value;
}
