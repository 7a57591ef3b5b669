using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using Oms.Api.Platform.Errors;

namespace Oms.Api.Platform.Auth;

/// <summary>
/// People signing in through the company's identity provider (<c>Auth:Oidc</c>): OpenID Connect access tokens (JWTs)
/// checked against the provider's discovery document and keys (<see cref="Authority"/> or <see cref="MetadataAddress"/>),
/// or against an issuer and a JWKS given here. A claim (<see cref="RoleClaim"/>) names the person's roles, directly or
/// through <see cref="RoleMap"/>. API keys stay for machines. Off unless an authority, a metadata address or signing
/// keys are configured.
/// </summary>
public sealed class OidcOptions
{
    public const string Section = "Auth:Oidc";

    /// <summary>The provider's issuer URL; its discovery document is at <c>{Authority}/.well-known/openid-configuration</c>.</summary>
    public string? Authority { get; set; }
    /// <summary>The discovery document's URL, when it is not under <see cref="Authority"/>.</summary>
    public string? MetadataAddress { get; set; }
    /// <summary>The issuer tokens must name, when no discovery document is used (with <see cref="SigningKeys"/>).</summary>
    public string? Issuer { get; set; }
    /// <summary>The audience tokens must be for (the API's identifier at the provider). Required.</summary>
    public string? Audience { get; set; }
    /// <summary>A JWKS (JSON) of the keys tokens may be signed with, instead of the provider's published ones.</summary>
    public string? SigningKeys { get; set; }
    /// <summary>The claim that lists the person's roles: a string or an array of strings.</summary>
    public string RoleClaim { get; set; } = "roles";
    /// <summary>The claims that name the person in timelines, the ledger, documents and the audit trail, first present wins.</summary>
    public string[] NameClaims { get; set; } = ["email", "preferred_username", "name", "sub"];
    /// <summary>Values of <see cref="RoleClaim"/> (a group's id, say) and the role each gives; a value not here is taken as a role's name.</summary>
    public Dictionary<string, string> RoleMap { get; set; } = [];
    /// <summary>The claim that limits the person to fulfilment nodes (their codes or ids): a store's or a 3PL's staff. Absent: every node.</summary>
    public string NodeClaim { get; set; } = "oms_nodes";
    /// <summary>The claim that limits the person to channels (<c>marketplace</c>, <c>pos</c>…). Absent: every channel.</summary>
    public string ChannelClaim { get; set; } = "oms_channels";
    /// <summary>Discovery over HTTPS only (leave on outside tests and development).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
    /// <summary>How far the provider's clock and ours may differ when checking a token's lifetime.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) || !string.IsNullOrWhiteSpace(MetadataAddress) || !string.IsNullOrWhiteSpace(SigningKeys);
}

public static class PersonAuthentication
{
    public const string Scheme = "Person";

    public static IServiceCollection AddPersonAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(OidcOptions.Section).Get<OidcOptions>() ?? new OidcOptions();
        services.AddSingleton(options);
        if (!options.Enabled) return services;
        if (string.IsNullOrWhiteSpace(options.Audience))
            throw new InvalidOperationException($"{OidcOptions.Section}:Audience is required when people sign in with tokens.");
        services.AddAuthentication().AddJwtBearer(Scheme, o =>
        {
            o.Authority = string.IsNullOrWhiteSpace(options.Authority) ? null : options.Authority;
            o.MetadataAddress = string.IsNullOrWhiteSpace(options.MetadataAddress) ? null! : options.MetadataAddress;
            o.Audience = options.Audience;
            o.RequireHttpsMetadata = options.RequireHttpsMetadata;
            // Claims as the provider names them (roles, email), not mapped to .NET's long URIs.
            o.MapInboundClaims = false;
            o.TokenValidationParameters.ClockSkew = options.ClockSkew;
            o.TokenValidationParameters.ValidateAudience = true;
            o.TokenValidationParameters.ValidateIssuer = true;
            o.TokenValidationParameters.ValidateLifetime = true;
            o.TokenValidationParameters.RequireExpirationTime = true;
            if (!string.IsNullOrWhiteSpace(options.Issuer)) o.TokenValidationParameters.ValidIssuer = options.Issuer;
            if (!string.IsNullOrWhiteSpace(options.SigningKeys))
                o.TokenValidationParameters.IssuerSigningKeys = new JsonWebKeySet(options.SigningKeys).GetSigningKeys();
        });
        return services;
    }

    /// <summary>Whether a bearer credential is a token for this scheme rather than an API key (a JWT: three base64url parts).</summary>
    public static bool LooksLikeToken(string credential) =>
        !credential.StartsWith(Domain.Access.ApiKey.Prefix, StringComparison.Ordinal) && credential.Count(c => c == '.') == 2;

    /// <summary>Checks the request's token: the caller it names, or why it is refused.</summary>
    public static async Task<Caller> AuthenticateAsync(HttpContext http, OidcOptions options, ApiKeyAuthenticator authenticator)
    {
        var result = await http.AuthenticateAsync(Scheme);
        if (!result.Succeeded || result.Principal is not { } person)
            throw new UnauthenticatedException(Refusal(result.Failure));
        var issuer = person.FindFirst("iss")?.Value ?? "";
        var subject = person.FindFirst("sub")?.Value ?? "";
        var name = options.NameClaims.Select(c => person.FindFirst(c)?.Value).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v)) ?? subject;
        var roles = person.FindAll(options.RoleClaim).Select(c => c.Value)
            .Select(v => options.RoleMap.TryGetValue(v, out var mapped) ? mapped : v)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var scopes = await authenticator.ScopesOfRolesAsync(roles, http.RequestAborted);
        var limits = await LimitsAsync(http, person, options);
        return new Caller(null, name, Domain.Access.Scopes.Within(scopes, limits), Person: new PersonIdentity(issuer, subject, roles), Limits: limits);
    }

    /// <summary>
    /// The nodes and channels the token's claims limit the person to. A claim that names only unknown nodes or channels
    /// still limits: to nothing.
    /// </summary>
    private static async Task<Domain.Access.DataLimits> LimitsAsync(HttpContext http, ClaimsPrincipal person, OidcOptions options)
    {
        var nodeValues = person.FindAll(options.NodeClaim).Select(c => c.Value.Trim()).Where(v => v.Length > 0).ToList();
        var channelValues = person.FindAll(options.ChannelClaim).Select(c => c.Value.Trim().ToLowerInvariant()).Where(v => v.Length > 0).ToList();
        if (nodeValues.Count == 0 && channelValues.Count == 0) return Domain.Access.DataLimits.None;
        List<Guid> nodes = [];
        if (nodeValues.Count > 0)
        {
            nodes = [.. await http.RequestServices.GetRequiredService<ApiKeyAuthenticator>().NodesNamedAsync(nodeValues, http.RequestAborted)];
            if (nodes.Count == 0) nodes = [Domain.Access.DataLimits.NoNode];
        }
        List<string> channels = [];
        if (channelValues.Count > 0)
        {
            channels = channelValues.Where(v => Enum.TryParse<Domain.Orders.OrderChannel>(v, true, out _) && !int.TryParse(v, out _))
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (channels.Count == 0) channels = [Domain.Access.DataLimits.NoChannel];
        }
        return new Domain.Access.DataLimits(nodes, channels);
    }

    private static string Refusal(Exception? failure) => failure switch
    {
        SecurityTokenExpiredException => "The token has expired: sign in again.",
        SecurityTokenNotYetValidException => "The token is not valid yet.",
        SecurityTokenInvalidAudienceException => "The token is not for this API (its audience is wrong).",
        SecurityTokenInvalidIssuerException => "The token was not issued by the configured identity provider.",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "The token's signature is not one of the identity provider's keys.",
        null => "The token could not be read.",
        _ => "The token is not valid: " + failure.Message.Split('.')[0] + ".",
    };

    /// <summary>A stable short id for a person (idempotency keys are kept per caller): a hash of issuer and subject.</summary>
    public static string OwnerOf(PersonIdentity person) =>
        "p" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(person.Issuer + "\n" + person.Subject)))[..40];
}

/// <summary>Who a person is at their identity provider, and the roles the token gave them.</summary>
public sealed record PersonIdentity(string Issuer, string Subject, IReadOnlyList<string> Roles);
