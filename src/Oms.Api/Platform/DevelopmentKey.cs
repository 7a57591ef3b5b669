namespace Oms.Api.Platform;

/// <summary>The development key of the embedded setup, if one was made; the GraphQL IDE pre-fills it.</summary>
public sealed class DevelopmentKey
{
    public string? Secret { get; set; }
}
