using Oms.Domain.Common;

namespace Oms.Domain.Routing;

/// <summary>Distances on the earth.</summary>
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
}

/// <summary>
/// Where an address is, for ranking nodes by distance. The seam to replace with a real geocoder (a service, a
/// database of postal codes): register another implementation in the composition root.
/// </summary>
public interface IGeocoder
{
    /// <summary>The address's location; null when nothing is known about where it is.</summary>
    GeoPoint? Locate(Address address);
}

/// <summary>
/// The built-in geocoder, with no I/O: the address's own coordinates when it has them; else the centre of its postal
/// area (the two-digit département in France, the two-digit areas of Germany, the Netherlands, Belgium and Austria,
/// the first digit in the United States); else its country's centre.
/// </summary>
public sealed class PostalAreaGeocoder : IGeocoder
{
    public static readonly PostalAreaGeocoder Instance = new();

    public GeoPoint? Locate(Address address)
    {
        if (address.Location is { } exact) return exact;
        var country = address.Country.ToUpperInvariant();
        var postal = address.PostalCode?.Trim() ?? "";
        if (postal.Length >= 2 && char.IsAsciiDigit(postal[0]) && char.IsAsciiDigit(postal[1])
            && PostalAreas.TwoDigit.TryGetValue(country, out var areas) && areas.TryGetValue(postal[..2], out var area))
            return area;
        if (postal.Length >= 1 && char.IsAsciiDigit(postal[0]) && PostalAreas.FirstDigit.TryGetValue((country, postal[0]), out var region))
            return region;
        return PostalAreas.Countries.GetValueOrDefault(country);
    }
}
