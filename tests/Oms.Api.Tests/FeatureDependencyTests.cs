using System.Reflection;
using System.Reflection.Emit;
using Xunit.Abstractions;

namespace Oms.Api.Tests;

/// <summary>
/// Which feature folder of the API uses which (docs/architecture.md): read from the compiled code, every signature,
/// field and instruction of every type, so a reference the source hides (a lambda, an async method) counts too.
/// </summary>
public sealed class FeatureDependencyTests(ITestOutputHelper output)
{
    /// <summary>The feature a type belongs to: the first namespace segment after <c>Oms.Api</c>; null for Program and the composition root.</summary>
    private static string? FeatureOf(Type type)
    {
        var ns = type.Namespace;
        if (ns is null || !ns.StartsWith("Oms.Api.", StringComparison.Ordinal)) return null;
        var feature = ns.Split('.')[2];
        return feature == "Composition" ? null : feature; // the composition root knows every feature, and no feature knows it
    }

    private static readonly Dictionary<short, OpCode> OneByte = [], TwoByte = [];

    static FeatureDependencyTests()
    {
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var code = (OpCode)field.GetValue(null)!;
            if (code.Size == 1) OneByte[code.Value] = code;
            else TwoByte[(short)(code.Value & 0xff)] = code;
        }
    }

    /// <summary>Every type a method's body names: in its tokens (calls, fields, types, casts).</summary>
    private static IEnumerable<Type> UsedBy(MethodBase method)
    {
        byte[]? il;
        try { il = method.GetMethodBody()?.GetILAsByteArray(); }
        catch (Exception) { yield break; }
        if (il is null) yield break;
        var module = method.Module;
        Type[]? typeArgs = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        Type[]? methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var i = 0; i < il.Length;)
        {
            var code = il[i] == 0xfe ? TwoByte[il[i + 1]] : OneByte[il[i]];
            i += code.Size;
            var operand = code.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, i),
                _ => 4,
            };
            if (code.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok)
            {
                var token = BitConverter.ToInt32(il, i);
                MemberInfo? member = null;
                try { member = module.ResolveMember(token, typeArgs, methodArgs); }
                catch (Exception) { }
                switch (member)
                {
                    case Type t: yield return t; break;
                    case MethodBase m:
                        if (m.DeclaringType is { } dt) yield return dt;
                        if (m is MethodInfo mi) yield return mi.ReturnType;
                        foreach (var p in m.GetParameters()) yield return p.ParameterType;
                        if (m.IsGenericMethod) foreach (var a in m.GetGenericArguments()) yield return a;
                        break;
                    case FieldInfo f:
                        if (f.DeclaringType is { } ft) yield return ft;
                        yield return f.FieldType;
                        break;
                }
            }
            i += operand;
        }
    }

    private static IEnumerable<Type> Expand(Type type)
    {
        if (type.HasElementType && type.GetElementType() is { } element)
        {
            foreach (var t in Expand(element)) yield return t;
            yield break;
        }
        yield return type;
        if (type.IsGenericType && !type.IsGenericTypeDefinition)
            foreach (var a in type.GetGenericArguments())
                foreach (var t in Expand(a)) yield return t;
    }

    private static Dictionary<string, Dictionary<string, HashSet<string>>> Graph()
    {
        var graph = new Dictionary<string, Dictionary<string, HashSet<string>>>();
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var type in typeof(Program).Assembly.GetTypes())
        {
            if (FeatureOf(type) is not { } from) continue;
            var used = new List<Type>();
            if (type.BaseType is { } b) used.Add(b);
            used.AddRange(type.GetInterfaces());
            foreach (var f in type.GetFields(all)) used.Add(f.FieldType);
            foreach (var p in type.GetProperties(all)) used.Add(p.PropertyType);
            foreach (var m in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
            {
                if (m is MethodInfo mi) used.Add(mi.ReturnType);
                used.AddRange(m.GetParameters().Select(p => p.ParameterType));
                used.AddRange(UsedBy(m));
            }
            var edges = graph.TryGetValue(from, out var e) ? e : graph[from] = [];
            foreach (var t in used.SelectMany(Expand))
                if (FeatureOf(t) is { } to && to != from)
                    (edges.TryGetValue(to, out var why) ? why : edges[to] = []).Add($"{Name(type)} → {Name(t)}");
        }
        return graph;
    }

    private static string Name(Type t) => (t.DeclaringType is { } d && t.Name.StartsWith('<') ? Name(d) : t.FullName ?? t.Name).Replace("Oms.Api.", "");

    /// <summary>The table "Which feature may use which" of docs/architecture.md: feature → the features it may use.</summary>
    private static Dictionary<string, HashSet<string>> Allowed()
    {
        var doc = File.ReadAllLines(ContractTests.RepoFile("docs/architecture.md"));
        var start = Array.FindIndex(doc, l => l.StartsWith("## Which feature may use which", StringComparison.Ordinal));
        Assert.True(start >= 0, "docs/architecture.md has no section 'Which feature may use which'.");
        var allowed = new Dictionary<string, HashSet<string>>();
        foreach (var line in doc.Skip(start + 1).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')).Skip(2))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries);
            allowed[cells[1].Trim('`')] = cells[2] is "" or "nothing" ? [] : cells[2].Split(',', StringSplitOptions.TrimEntries).Select(c => c.Trim('`')).ToHashSet();
        }
        return allowed;
    }

    /// <summary>The cycles of a graph: every strongly connected set of more than one feature (Tarjan).</summary>
    private static List<List<string>> Cycles(Dictionary<string, HashSet<string>> graph)
    {
        var (index, low, onStack, stack, cycles, next) = (new Dictionary<string, int>(), new Dictionary<string, int>(), new HashSet<string>(), new Stack<string>(), new List<List<string>>(), 0);
        void Visit(string v)
        {
            index[v] = low[v] = next++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in graph.GetValueOrDefault(v) ?? [])
            {
                if (!index.ContainsKey(w)) { Visit(w); low[v] = Math.Min(low[v], low[w]); }
                else if (onStack.Contains(w)) low[v] = Math.Min(low[v], index[w]);
            }
            if (low[v] != index[v]) return;
            var set = new List<string>();
            string x;
            do { x = stack.Pop(); onStack.Remove(x); set.Add(x); } while (x != v);
            if (set.Count > 1) cycles.Add(set);
        }
        foreach (var v in graph.Keys.Concat(graph.Values.SelectMany(t => t)).Distinct().Order()) if (!index.ContainsKey(v)) Visit(v);
        return cycles;
    }

    [Fact]
    public void No_feature_uses_another_that_the_architecture_notes_do_not_allow_and_none_depend_on_each_other_in_a_circle()
    {
        var actual = Graph();
        var allowed = Allowed();
        // The notes themselves draw no circle, so code that keeps to them cannot either.
        Assert.Empty(Cycles(allowed));
        var cycles = Cycles(actual.ToDictionary(g => g.Key, g => g.Value.Keys.ToHashSet()));
        Assert.True(cycles.Count == 0, "Features that depend on each other in a circle: " + string.Join("; ", cycles.Select(c => string.Join(" ↔ ", c.Order()))));
        var features = typeof(Program).Assembly.GetTypes().Select(FeatureOf).OfType<string>().Distinct().Order().ToList();
        Assert.True(features.All(allowed.ContainsKey), "Features missing from the table in docs/architecture.md: " + string.Join(", ", features.Where(f => !allowed.ContainsKey(f))));
        var unlisted = actual.SelectMany(g => g.Value.Where(e => !allowed[g.Key].Contains(e.Key))
            .Select(e => $"{g.Key} → {e.Key} ({string.Join("; ", e.Value.Take(3))})")).ToList();
        Assert.True(unlisted.Count == 0, "Uses docs/architecture.md does not allow:\n" + string.Join("\n", unlisted));
        output.WriteLine(string.Join("\n", actual.OrderBy(g => g.Key).Select(g => $"{g.Key} → {string.Join(", ", g.Value.Keys.Order())}")));
    }

    /// <summary>The check sees what it must: a use of a feature the table does not allow, and a circle, in code like ours.</summary>
    [Fact]
    public void The_dependency_check_finds_a_circle()
    {
        Assert.Single(Cycles(new() { ["Orders"] = ["Payments"], ["Payments"] = ["Orders"], ["Catalog"] = [] }));
        Assert.Empty(Cycles(new() { ["Orders"] = ["Payments", "Routing"], ["Routing"] = ["Inventory"], ["Payments"] = [] }));
        // The graph is read from the compiled code: Orders' service uses Routing's through its constructor and calls.
        Assert.Contains("Routing", Graph()["Orders"].Keys);
    }
}
