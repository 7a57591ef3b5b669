using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Oms.Api.Tests.Support;

namespace Oms.Api.Tests;

/// <summary>The README's tour, as written, on a fresh start with the demo data: every request it shows succeeds.</summary>
public sealed partial class ReadmeTourTests
{
    [Fact]
    public async Task The_readme_tour_runs_as_written_on_a_fresh_start()
    {
        var readme = await File.ReadAllTextAsync(ContractTests.RepoFile("README.md"));
        var tour = TourBlock().Match(readme);
        Assert.True(tour.Success, "the README has no tour");
        // One shell command per curl: its continuation lines and a multi-line -d body joined.
        var commands = Regex.Split(tour.Groups[1].Value.Replace("\\\n", " "), @"\n(?=curl |#|KEY=)").Where(c => c.StartsWith("curl ", StringComparison.Ordinal)).ToList();
        Assert.True(commands.Count >= 5, $"{commands.Count} requests in the tour");

        var connection = await (await TestApp.DatabaseAsync()).CreateDatabaseAsync();
        await using var app = new ApiFactory(connection, "oms_test_admin_" + Guid.NewGuid().ToString("N"), ("Seed:Demo", "true"));
        var client = app.Admin();
        string? id = null, customerId = null, documentId = null;
        foreach (var command in commands)
        {
            var url = UrlOf().Match(command).Groups[1].Value.Replace("<id>", id).Replace("<customerId>", customerId).Replace("<documentId>", documentId);
            var body = BodyOf().Match(command) is { Success: true } b ? b.Groups[1].Value : null;
            var method = body is not null || command.Contains("-X POST") ? HttpMethod.Post : HttpMethod.Get;
            var request = new HttpRequestMessage(method, "/api/v1" + url);
            if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            foreach (Match header in HeaderOf().Matches(command))
                if (header.Groups[1].Value is not ("Authorization" or "Content-Type")) request.Headers.TryAddWithoutValidation(header.Groups[1].Value, header.Groups[2].Value);
            var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            // The invoice is issued just after the confirmation commits: a reader who looks at once may look again.
            for (var tries = 0; url.EndsWith("/documents", StringComparison.Ordinal) && text == "[]" && tries < 200; tries++)
            {
                await Task.Delay(50);
                text = await (await client.GetAsync("/api/v1" + url)).Content.ReadAsStringAsync();
            }
            if (url.EndsWith("/documents", StringComparison.Ordinal)) documentId = JsonDocument.Parse(text).RootElement[0].GetProperty("id").GetString();
            Assert.True(response.IsSuccessStatusCode, $"{method} {url} answered {(int)response.StatusCode}: {text}");
            if (url == "/orders" && method == HttpMethod.Post)
                (id, customerId) = (JsonDocument.Parse(text).RootElement.GetProperty("id").GetString(), JsonDocument.Parse(text).RootElement.GetProperty("customerId").GetString());
        }
        Assert.NotNull(id);
    }

    [GeneratedRegex(@"## A short tour\s*```bash\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex TourBlock();

    [GeneratedRegex(@"\$API(/[^\s""']*)")]
    private static partial Regex UrlOf();

    [GeneratedRegex(@"-d '(.*?)'", RegexOptions.Singleline)]
    private static partial Regex BodyOf();

    [GeneratedRegex(@"-H '([^:']+): ([^']*)'")]
    private static partial Regex HeaderOf();
}
