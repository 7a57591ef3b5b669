using GraphQL;
using GraphQLParser.AST;

namespace Oms.Api.Platform.GraphQL;

/// <summary>
/// What one GraphQL request may ask for (<c>GraphQL:*</c>). A document is measured before GraphQL.NET validates or runs
/// it, in time linear in its size: fragments are measured once each and their spreads multiplied, so a document whose
/// fragments each spread the next twice is refused as the 2^n fields it stands for instead of being expanded.
/// </summary>
public sealed class GraphQLLimits
{
    /// <summary>The query text, in UTF-8 bytes (a 1 MB comment takes seconds to lex).</summary>
    public int MaxDocumentBytes { get; set; } = 32 * 1024;
    /// <summary>Nodes of the document as written: fields, arguments, directives, fragments, values.</summary>
    public int MaxNodes { get; set; } = 3_000;
    /// <summary>Selection depth with fragments expanded.</summary>
    public int MaxDepth { get; set; } = 15;
    /// <summary>Fields of the chosen operation with fragments expanded (each spread counts its fragment again).</summary>
    public int MaxFields { get; set; } = 2_000;
    /// <summary>Aliased fields in the document.</summary>
    public int MaxAliases { get; set; } = 30;
    /// <summary>Fields at the root of a query, fragments expanded.</summary>
    public int MaxRootFields { get; set; } = 20;
    /// <summary>Fields at the root of a mutation: each is a change of its own.</summary>
    public int MaxMutationFields { get; set; } = 10;
    /// <summary>Fields weighed by the pages that hold them: a field inside <c>orders(first: 100)</c> costs 100.</summary>
    public long MaxCost { get; set; } = 25_000;
    /// <summary>How long one request may run (validation and execution); then it is cancelled.</summary>
    public TimeSpan MaxExecutionTime { get; set; } = TimeSpan.FromSeconds(10);

    public const string Section = "GraphQL";

    /// <summary>The first limit <paramref name="document"/> is over, as (configuration key, message); null when within all.</summary>
    public (string Limit, string Message)? Exceeded(GraphQLDocument document, string? operationName, Inputs? variables)
    {
        var nodes = 0;
        var aliases = 0;
        CountNodes(document, ref nodes, ref aliases);
        if (nodes > MaxNodes) return Over(nameof(MaxNodes), MaxNodes, nodes, "nodes (fields, arguments, directives, values)");
        if (aliases > MaxAliases) return Over(nameof(MaxAliases), MaxAliases, aliases, "aliased fields");

        var operation = GraphQLEndpoint.Operation(document, operationName);
        if (operation is null) return null; // GraphQL.NET answers the missing or ambiguous operation
        var measure = new Measure(document, variables);
        var root = measure.Of(operation.SelectionSet);
        if (operation.Operation == OperationType.Mutation && root.RootFields > MaxMutationFields)
            return Over(nameof(MaxMutationFields), MaxMutationFields, root.RootFields, "fields at the root of the mutation");
        if (root.Fields > MaxFields) return Over(nameof(MaxFields), MaxFields, root.Fields, "fields, fragments expanded");
        if (root.Depth > MaxDepth) return Over(nameof(MaxDepth), MaxDepth, root.Depth, "levels of selection, fragments expanded");
        if (root.Cost > MaxCost) return Over(nameof(MaxCost), MaxCost, root.Cost, "fields weighed by their pages' first");
        if (root.RootFields > MaxRootFields) return Over(nameof(MaxRootFields), MaxRootFields, root.RootFields, "fields at the root");
        return null;
    }

    private static (string, string) Over(string name, double max, double actual, string what) =>
        ($"{Section}:{name}", $"The request asks for {(actual >= 1e15 ? "more than 10^15" : actual.ToString("N0", System.Globalization.CultureInfo.InvariantCulture))} {what}; " +
                              $"{Section}:{name} allows {max.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)}. Ask for less, or page.");

    private static void CountNodes(ASTNode node, ref int nodes, ref int aliases)
    {
        // Iterative: the parser already bounds nesting, but a deep document must not cost stack here either.
        var pending = new Stack<ASTNode>();
        pending.Push(node);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            nodes++;
            if (current is GraphQLField { Alias: not null }) aliases++;
            foreach (var child in Children(current)) pending.Push(child);
        }
    }

    /// <summary>The nodes under <paramref name="node"/> that a request can carry values in.</summary>
    internal static IEnumerable<ASTNode> Children(ASTNode node) => node switch
    {
        GraphQLDocument d => d.Definitions,
        GraphQLOperationDefinition o => Concat(o.Variables?.Items, o.Directives?.Items, [o.SelectionSet]),
        GraphQLFragmentDefinition f => Concat(f.Directives?.Items, [f.SelectionSet]),
        GraphQLSelectionSet s => s.Selections,
        GraphQLField f => Concat(f.Arguments?.Items, f.Directives?.Items, f.SelectionSet is null ? null : [f.SelectionSet]),
        GraphQLFragmentSpread s => (IEnumerable<ASTNode>?)s.Directives?.Items ?? [],
        GraphQLInlineFragment i => Concat(i.Directives?.Items, [i.SelectionSet]),
        GraphQLDirective d => (IEnumerable<ASTNode>?)d.Arguments?.Items ?? [],
        GraphQLArgument a => [a.Value],
        GraphQLListValue l => (IEnumerable<ASTNode>?)l.Values ?? [],
        GraphQLObjectValue o => (IEnumerable<ASTNode>?)o.Fields ?? [],
        GraphQLObjectField f => [f.Value],
        GraphQLVariableDefinition v => v.DefaultValue is null ? [] : [v.DefaultValue],
        _ => [],
    };

    private static IEnumerable<ASTNode> Concat(params IEnumerable<ASTNode>?[] parts) => parts.Where(p => p is not null).SelectMany(p => p!);

    /// <summary>A selection set's size, per unit of the pages above it (costs multiply down the tree, so they are linear in it).</summary>
    private readonly record struct Size(double Fields, double Cost, int Depth, double RootFields);

    private sealed class Measure(GraphQLDocument document, Inputs? variables)
    {
        private readonly Dictionary<string, GraphQLFragmentDefinition> _fragments = document.Definitions.OfType<GraphQLFragmentDefinition>()
            .GroupBy(f => f.FragmentName.Name.StringValue).ToDictionary(g => g.Key, g => g.First());
        private readonly Dictionary<string, Size> _measured = [];
        private readonly HashSet<string> _inProgress = [];

        public Size Of(GraphQLSelectionSet set)
        {
            double fields = 0, cost = 0, root = 0;
            var depth = 0;
            foreach (var selection in set.Selections)
            {
                var part = selection switch
                {
                    GraphQLField f => Field(f),
                    GraphQLInlineFragment i => Of(i.SelectionSet),
                    GraphQLFragmentSpread s => Fragment(s.FragmentName.Name.StringValue),
                    _ => default,
                };
                fields += part.Fields;
                cost += part.Cost;
                root += part.RootFields;
                depth = Math.Max(depth, part.Depth);
            }
            return new Size(fields, cost, depth, root);
        }

        private Size Field(GraphQLField field)
        {
            if (field.SelectionSet is null) return new Size(1, 1, 1, 1);
            var inner = Of(field.SelectionSet);
            var page = PageSize(field);
            return new Size(1 + inner.Fields, 1 + page * inner.Cost, 1 + inner.Depth, 1);
        }

        private Size Fragment(string name)
        {
            if (_measured.TryGetValue(name, out var known)) return known;
            // A cycle is invalid GraphQL (GraphQL.NET reports it); it must not loop here.
            if (!_fragments.TryGetValue(name, out var fragment) || !_inProgress.Add(name)) return default;
            var size = Of(fragment.SelectionSet);
            _inProgress.Remove(name);
            return _measured[name] = size;
        }

        /// <summary>A paged field (one with <c>first</c>) holds as many items as it asks for; the default page otherwise.</summary>
        private double PageSize(GraphQLField field)
        {
            var first = field.Arguments?.Items.FirstOrDefault(a => a.Name.StringValue == "first");
            if (first is null) return 1;
            return first.Value switch
            {
                GraphQLIntValue i when int.TryParse(i.Value.Span, out var n) => Math.Max(1, n),
                GraphQLVariable v when variables?.TryGetValue(v.Name.StringValue, out var value) == true && value is not null
                                       && int.TryParse(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture), out var n) => Math.Max(1, n),
                _ => Http.Cursor.DefaultLimit,
            };
        }
    }
}
