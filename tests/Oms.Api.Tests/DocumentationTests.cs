using System.Text.RegularExpressions;

namespace Oms.Api.Tests;

/// <summary>The README stays a page for users, and every link in it and in docs/ leads somewhere in the repository.</summary>
public sealed partial class DocumentationTests
{
    [Fact]
    public void The_readme_is_short_and_every_link_in_it_and_in_docs_resolves_inside_the_repository()
    {
        var root = ContractTests.RepoFile("");
        var readme = Path.Combine(root, "README.md");
        var lines = File.ReadAllLines(readme).Length;
        Assert.True(lines < 250, $"README.md has {lines} lines: it is for users (what, two commands, configuration, a tour, links); the rest belongs in docs/");

        var pages = Directory.GetFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories).Append(readme).ToList();
        Assert.True(pages.Count > 5, $"{pages.Count} pages");
        var broken = new List<string>();
        foreach (var page in pages)
            foreach (Match link in Link().Matches(File.ReadAllText(page)))
            {
                var target = link.Groups[1].Value;
                if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal)) continue;
                var path = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, target));
                if (!path.StartsWith(root, StringComparison.Ordinal) || !(File.Exists(path) || Directory.Exists(path)))
                    broken.Add($"{Path.GetRelativePath(root, page)}: {target}");
            }
        Assert.True(broken.Count == 0, "links that lead nowhere in the repository:\n" + string.Join("\n", broken));
    }

    // [text](target) or [text](target#anchor); the target without the anchor.
    [GeneratedRegex(@"\]\(([^)#\s]+)(?:#[^)]*)?\)")]
    private static partial Regex Link();
}
