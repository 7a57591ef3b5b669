using Oms.Domain.Common;

namespace Oms.Domain.Routing;

/// <summary>Distances on the earth, and where an address is when it has no coordinates.</summary>
public static class Geo
{
    public static double DistanceKm(GeoPoint a, GeoPoint b)
    {
        const double R = 6371.0088;
        static double Rad(double d) => d * Math.PI / 180;
        var dLat = Rad(b.Latitude - a.Latitude);
        var dLon = Rad(b.Longitude - a.Longitude);
        var h = Math.Pow(Math.Sin(dLat / 2), 2) + Math.Cos(Rad(a.Latitude)) * Math.Cos(Rad(b.Latitude)) * Math.Pow(Math.Sin(dLon / 2), 2);
        return 2 * R * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    /// <summary>The address's own coordinates, else its postal region's centroid, else its country's; null if unknown.</summary>
    public static GeoPoint? Locate(Address? address)
    {
        if (address is null) return null;
        if (address.Location is { } exact) return exact;
        var country = address.Country.ToUpperInvariant();
        if (address.PostalCode is { Length: > 0 } postal && char.IsAsciiDigit(postal.Trim()[0])
            && PostalRegions.TryGetValue((country, postal.Trim()[0]), out var region))
            return region;
        return CountryCentroids.GetValueOrDefault(country);
    }

    // Rough population-weighted centres; good enough to rank nodes hundreds of kilometres apart.
    private static readonly Dictionary<string, GeoPoint> CountryCentroids = new()
    {
        ["AT"] = new(47.59, 14.14), ["BE"] = new(50.64, 4.66), ["BG"] = new(42.73, 25.49), ["CH"] = new(46.80, 8.23),
        ["CY"] = new(35.05, 33.23), ["CZ"] = new(49.74, 15.34), ["DE"] = new(51.10, 10.38), ["DK"] = new(55.96, 10.05),
        ["EE"] = new(58.67, 25.54), ["ES"] = new(40.24, -3.65), ["FI"] = new(62.78, 25.92), ["FR"] = new(46.63, 2.45),
        ["GB"] = new(52.95, -1.60), ["GR"] = new(39.07, 22.96), ["HR"] = new(45.08, 15.98), ["HU"] = new(47.16, 19.40),
        ["IE"] = new(53.18, -8.15), ["IS"] = new(64.99, -18.57), ["IT"] = new(42.80, 12.07), ["LT"] = new(55.33, 23.90),
        ["LU"] = new(49.77, 6.09), ["LV"] = new(56.85, 24.91), ["MT"] = new(35.89, 14.44), ["NL"] = new(52.13, 5.29),
        ["NO"] = new(61.36, 9.68), ["PL"] = new(52.13, 19.39), ["PT"] = new(39.69, -8.13), ["RO"] = new(45.85, 24.97),
        ["SE"] = new(60.13, 15.64), ["SI"] = new(46.12, 14.82), ["SK"] = new(48.71, 19.48), ["US"] = new(39.83, -98.58),
        ["CA"] = new(56.13, -106.35), ["MX"] = new(23.63, -102.55), ["BR"] = new(-14.24, -51.93), ["AU"] = new(-25.27, 133.78),
        ["NZ"] = new(-40.90, 174.89), ["JP"] = new(36.20, 138.25), ["CN"] = new(35.86, 104.20), ["IN"] = new(20.59, 78.96),
        ["ZA"] = new(-30.56, 22.94), ["TR"] = new(38.96, 35.24), ["UA"] = new(48.38, 31.17), ["SG"] = new(1.35, 103.82),
    };

    // Centroids of the first-digit postal regions where that digit says something about geography.
    private static readonly Dictionary<(string, char), GeoPoint> PostalRegions = new()
    {
        [("DE", '0')] = new(51.05, 13.10), [("DE", '1')] = new(52.45, 13.40), [("DE", '2')] = new(53.55, 9.70),
        [("DE", '3')] = new(52.10, 9.60), [("DE", '4')] = new(51.45, 7.10), [("DE", '5')] = new(50.75, 7.00),
        [("DE", '6')] = new(50.00, 8.50), [("DE", '7')] = new(48.75, 9.00), [("DE", '8')] = new(48.15, 11.55),
        [("DE", '9')] = new(49.60, 11.00),
        [("US", '0')] = new(42.30, -71.80), [("US", '1')] = new(41.50, -75.50), [("US", '2')] = new(37.50, -78.50),
        [("US", '3')] = new(32.50, -84.00), [("US", '4')] = new(40.00, -85.00), [("US", '5')] = new(44.50, -93.50),
        [("US", '6')] = new(39.00, -94.50), [("US", '7')] = new(32.00, -97.00), [("US", '8')] = new(39.50, -108.00),
        [("US", '9')] = new(37.00, -120.00),
        [("FR", '0')] = new(45.90, 5.50), [("FR", '1')] = new(45.50, 3.00), [("FR", '2')] = new(47.50, 4.50),
        [("FR", '3')] = new(44.00, 0.50), [("FR", '4')] = new(46.50, 1.00), [("FR", '5')] = new(48.50, 2.50),
        [("FR", '6')] = new(49.20, 3.00), [("FR", '7')] = new(48.85, 2.35), [("FR", '8')] = new(43.80, 5.50),
        [("FR", '9')] = new(48.70, 2.20),
    };
}
