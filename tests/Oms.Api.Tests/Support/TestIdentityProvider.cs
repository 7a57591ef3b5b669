using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Oms.Api.Tests.Support;

/// <summary>
/// The company's identity provider, as far as the API sees it: an OpenID Connect discovery document and a JWKS served
/// on loopback, and access tokens minted here with a key of our own (RS256).
/// </summary>
public sealed class TestIdentityProvider : IAsyncDisposable
{
    public const string Audience = "headlessoms-test";
    private readonly WebApplication _app;
    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "test-key-1" };

    private TestIdentityProvider(WebApplication app) => _app = app;

    /// <summary>The issuer, also the authority the API reads the discovery document under.</summary>
    public string Issuer { get; private set; } = "";

    public static async Task<TestIdentityProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var idp = new TestIdentityProvider(app);
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = idp.Issuer, ["jwks_uri"] = idp.Issuer + "/jwks", ["authorization_endpoint"] = idp.Issuer + "/authorize",
            ["token_endpoint"] = idp.Issuer + "/token", ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["response_types_supported"] = new[] { "code" }, ["subject_types_supported"] = new[] { "public" },
        }));
        app.MapGet("/jwks", () =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(idp._key.Rsa.ExportParameters(false)) { KeyId = idp._key.KeyId });
            return Results.Json(new { keys = new[] { new { kty = jwk.Kty, use = "sig", kid = jwk.Kid, alg = "RS256", n = jwk.N, e = jwk.E } } });
        });
        await app.StartAsync();
        idp.Issuer = app.Urls.First().TrimEnd('/');
        return idp;
    }

    /// <summary>The settings that make an app trust this provider.</summary>
    public (string Key, string Value)[] Settings =>
        [("Auth:Oidc:Authority", Issuer), ("Auth:Oidc:Audience", Audience), ("Auth:Oidc:RequireHttpsMetadata", "false"), ("Auth:Oidc:RoleMap:grp-warehouse-berlin", "warehouse")];

    /// <summary>An access token for a person. The other arguments spoil it as a test needs.</summary>
    public string Mint(string subject, string? email, IEnumerable<string> roles, string audience = Audience, DateTimeOffset? expires = null,
        bool foreignKey = false, string? issuer = null, IEnumerable<string>? nodes = null, IEnumerable<string>? channels = null)
    {
        var now = DateTimeOffset.UtcNow;
        var until = expires ?? now.AddMinutes(10);
        var claims = new Dictionary<string, object> { ["sub"] = subject, ["roles"] = roles.ToArray(), ["scope"] = "openid email" };
        if (email is not null) claims["email"] = email;
        if (nodes is not null) claims["oms_nodes"] = nodes.ToArray();
        if (channels is not null) claims["oms_channels"] = channels.ToArray();
        var key = foreignKey ? new RsaSecurityKey(RSA.Create(2048)) { KeyId = _key.KeyId } : _key;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer, Audience = audience, Claims = claims,
            IssuedAt = until.AddMinutes(-10).UtcDateTime, NotBefore = until.AddMinutes(-10).UtcDateTime, Expires = until.UtcDateTime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
