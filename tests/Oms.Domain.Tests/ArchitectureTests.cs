namespace Oms.Domain.Tests;

/// <summary>The domain stays the pure model: it uses the .NET base library and nothing else (no EF, HTTP, Stripe, packages).</summary>
public sealed class ArchitectureTests
{
    [Fact]
    public void The_domain_references_only_the_base_library_and_its_project_file_no_packages()
    {
        var outside = typeof(Oms.Domain.Orders.Order).Assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => !(n.StartsWith("System", StringComparison.Ordinal) || n is "netstandard" or "mscorlib"))
            .ToList();
        Assert.True(outside.Count == 0, "Oms.Domain references " + string.Join(", ", outside));

        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HeadlessOms.sln"))) dir = dir.Parent;
        var project = File.ReadAllText(Path.Combine(dir!.FullName, "src", "Oms.Domain", "Oms.Domain.csproj"));
        Assert.DoesNotContain("<PackageReference", project, StringComparison.Ordinal);
        Assert.DoesNotContain("<ProjectReference", project, StringComparison.Ordinal);
    }
}
