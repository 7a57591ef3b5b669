using System.Text;

namespace Oms.Domain.Common;

/// <summary>
/// The one spelling of an enum value outside C#: snake_case (<c>ThirdPartyLogistics</c> is <c>third_party_logistics</c>),
/// as REST, configuration and messages write it; GraphQL writes the same words in capitals.
/// </summary>
public static class Names
{
    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum => Cache<TEnum>.Names[value];

    private static class Cache<TEnum> where TEnum : struct, Enum
    {
        public static readonly Dictionary<TEnum, string> Names = Enum.GetValues<TEnum>().ToDictionary(v => v, v => Snake(v.ToString()));
    }

    private static string Snake(string name)
    {
        var wire = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) wire.Append('_');
            wire.Append(char.ToLowerInvariant(name[i]));
        }
        return wire.ToString();
    }
}
