namespace Oms.Domain.Common;

/// <summary>The kinds of a shopper's personal data that are masked for callers who may not see them.</summary>
public enum PersonalField { Name, Email, Phone, Street }

/// <summary>
/// How personal data looks to a caller who may not see it (without <c>customers:pii</c>): names keep their initials
/// (<c>A*** L***</c>), e-mail addresses their first letter and domain (<c>a***@example.com</c>), phones their last two
/// digits (<c>***42</c>), street lines and coordinates nothing (<c>***</c>, null). City, postal code, region and
/// country stay: where a parcel goes, not to whom.
/// </summary>
public static class PersonalData
{
    public const string Hidden = "***";

    public static string Mask(PersonalField field, string value)
    {
        if (value.Length == 0) return value;
        switch (field)
        {
            case PersonalField.Name:
                var words = value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                return words.Length == 0 ? Hidden : string.Join(' ', words.Select(w => char.IsLetterOrDigit(w[0]) ? w[..1] + Hidden : Hidden));
            case PersonalField.Email:
                var at = value.LastIndexOf('@');
                return at > 0 ? value[..1] + Hidden + value[at..] : Hidden;
            case PersonalField.Phone:
                var digits = value.Where(char.IsAsciiDigit).ToArray();
                return digits.Length > 4 ? Hidden + new string(digits[^2..]) : Hidden;
            default:
                return Hidden;
        }
    }

    public static string? MaskOrNull(PersonalField field, string? value) => value is null ? null : Mask(field, value);

    /// <summary>An address as a caller without personal data sees it: the place, not the person or the door.</summary>
    public static Address Mask(Address a) => a with
    {
        Name = Mask(PersonalField.Name, a.Name), Line1 = Mask(PersonalField.Street, a.Line1), Line2 = MaskOrNull(PersonalField.Street, a.Line2),
        Phone = MaskOrNull(PersonalField.Phone, a.Phone), Latitude = null, Longitude = null,
    };
}
