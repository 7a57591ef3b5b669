using System.Collections.Concurrent;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using GraphQL.Types;

namespace Oms.Api.Platform.GraphQL;

/// <summary>
/// A GraphQL object type derived from a REST contract: one field per public property of <typeparamref name="TDto"/>, in
/// declaration order, named as JSON names it (camelCase), nullable exactly where the property is, described by the
/// property's XML documentation (the text the OpenAPI document shows). A subclass names the type and adds only what
/// the contract cannot say: fields with loaders, arguments or scopes. Those it writes itself for a property are named
/// in <c>handWritten</c>, so the derived field is left out. Adding a property to a contract adds the field to both
/// APIs (docs/development.md, "Adding a field").
/// </summary>
public abstract partial class ContractGraphType<TDto> : ObjectGraphType<TDto>
{
    protected ContractGraphType(params string[] handWritten)
    {
        var nullability = new NullabilityInfoContext();
        foreach (var property in typeof(TDto).GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.MetadataToken))
        {
            if (handWritten.Contains(property.Name) || property.GetIndexParameters().Length > 0) continue;
            var field = new FieldType
            {
                Name = JsonName(property.Name),
                Type = GraphTypeOf(property.PropertyType, nullability.Create(property).ReadState == NullabilityState.Nullable, property),
                Description = ContractDocs.Summary(property),
                Resolver = new global::GraphQL.Resolvers.FuncFieldResolver<TDto, object?>(Getter(property)),
            };
            AddField(field);
        }
    }

    /// <summary>A compiled read of the property: the resolver runs for every field of every item of a page.</summary>
    private static Func<global::GraphQL.IResolveFieldContext<TDto>, object?> Getter(PropertyInfo property)
    {
        var source = System.Linq.Expressions.Expression.Parameter(typeof(TDto), "source");
        var read = System.Linq.Expressions.Expression.Lambda<Func<TDto, object?>>(
            System.Linq.Expressions.Expression.Convert(System.Linq.Expressions.Expression.Property(source, property), typeof(object)), source).Compile();
        // A shopper's personal data is masked for callers who may not see it, as REST masks it.
        if (property.GetCustomAttribute<Auth.PersonalAttribute>() is { } personal) return ctx => Auth.PersonalDataMask.Apply(personal, read(ctx.Source));
        return ctx => read(ctx.Source);
    }

    private static string JsonName(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    /// <summary>The graph type of a contract property's type: scalars as GraphQL.NET maps them, enums as their enumeration, contracts as their graph type.</summary>
    private static Type GraphTypeOf(Type type, bool nullable, PropertyInfo property)
    {
        var inner = Nullable.GetUnderlyingType(type);
        nullable |= inner is not null;
        type = inner ?? type;
        Type graph;
        if (type == typeof(Guid)) graph = typeof(IdGraphType);
        else if (type == typeof(DateTimeOffset)) graph = typeof(UtcDateTimeOffsetGraphType);
        else if (type == typeof(long)) graph = typeof(LongGraphType);
        else if (type.IsEnum) graph = typeof(EnumerationGraphType<>).MakeGenericType(type);
        else if (typeof(IDictionary<string, string>).IsAssignableFrom(type) || typeof(IReadOnlyDictionary<string, string>).IsAssignableFrom(type)) graph = typeof(StringMapGraphType);
        else if (type != typeof(string) && type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)) is { } enumerable)
        {
            // Elements of our contracts' lists are never null.
            graph = typeof(ListGraphType<>).MakeGenericType(GraphTypeOf(enumerable.GetGenericArguments()[0], false, property));
        }
        else if (ContractTypes.For(type) is { } contract) graph = contract;
        else graph = global::GraphQL.TypeExtensions.GetGraphTypeFromType(type, true, global::GraphQL.TypeMappingMode.OutputType);
        return nullable ? graph : typeof(NonNullGraphType<>).MakeGenericType(graph);
    }
}

/// <summary>Which graph type shows which contract: every <see cref="ObjectGraphType{TSourceType}"/> of the API over a contract type.</summary>
internal static class ContractTypes
{
    private static readonly Lazy<Dictionary<Type, Type>> Map = new(() =>
        typeof(ContractTypes).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsGenericTypeDefinition: false } && SourceOf(t) is not null)
            .GroupBy(t => SourceOf(t)!)
            .ToDictionary(g => g.Key, g => g.Single()));

    public static Type? For(Type contract) => Map.Value.GetValueOrDefault(contract);

    private static Type? SourceOf(Type t)
    {
        for (var b = t.BaseType; b is not null; b = b.BaseType)
            if (b.IsGenericType && b.GetGenericTypeDefinition() == typeof(ObjectGraphType<>))
                return b.GetGenericArguments()[0] is { IsGenericType: false } source ? source : null;
        return null;
    }
}

/// <summary>The XML documentation of the API's contracts (the file Swashbuckle reads for the OpenAPI document), as plain text.</summary>
public static partial class ContractDocs
{
    private static readonly Lazy<Dictionary<string, string>> Members = new(Load);
    private static readonly ConcurrentDictionary<MemberInfo, string?> Cache = new();

    public static string? Summary(PropertyInfo property) =>
        Cache.GetOrAdd(property, p => Members.Value.GetValueOrDefault($"P:{((PropertyInfo)p).DeclaringType!.FullName!.Replace('+', '.')}.{p.Name}"));

    private static Dictionary<string, string> Load()
    {
        var file = Path.Combine(AppContext.BaseDirectory, typeof(ContractDocs).Assembly.GetName().Name + ".xml");
        if (!File.Exists(file)) return [];
        return XDocument.Load(file).Descendants("member")
            .Where(m => m.Element("summary") is not null)
            .ToDictionary(m => (string)m.Attribute("name")!, m => Text(m.Element("summary")!));
    }

    /// <summary>The summary as one line of text: a <c>see</c> as the name it points at, code as its text.</summary>
    private static string Text(XElement summary)
    {
        var parts = summary.Nodes().Select(n => n switch
        {
            XText t => t.Value,
            XElement { Name.LocalName: "see" or "seealso" } e => (string?)e.Attribute("langword") ?? ((string?)e.Attribute("cref"))?.Split('.', ':')[^1] ?? e.Value,
            XElement { Name.LocalName: "paramref" or "typeparamref" } e => (string?)e.Attribute("name") ?? "",
            XElement e => e.Value,
            _ => "",
        });
        return Whitespace().Replace(string.Concat(parts), " ").Trim();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
