using Oms.Domain.Orders;
using GraphQL;
using GraphQL.Builders;
using GraphQL.Types;
using GraphQLParser.AST;
using Oms.Api.Platform.Http;

namespace Oms.Api.Platform.GraphQL;

public sealed class MoneyType : ObjectGraphType<MoneyDto>
{
    public MoneyType()
    {
        Name = "Money";
        Description = "An exact amount: an integer in the currency's minor units (cents for EUR), as Stripe counts.";
        SharedFields.Money(this);
    }
}

public sealed class MoneyInputType : InputObjectGraphType<MoneyDto>
{
    public MoneyInputType()
    {
        Name = "MoneyInput";
        SharedFields.Money(this);
    }
}

public sealed class AddressType : ObjectGraphType<AddressDto>
{
    public AddressType()
    {
        Name = "Address";
        SharedFields.Address(this);
    }
}

public sealed class AddressInputType : InputObjectGraphType<AddressDto>
{
    public AddressInputType()
    {
        Name = "AddressInput";
        SharedFields.Address(this);
    }
}

/// <summary>Fields that an output type and its input twin share, written once.</summary>
public static class SharedFields
{
    public static void Money(ComplexGraphType<MoneyDto> t)
    {
        t.Field(x => x.Amount, type: typeof(NonNullGraphType<LongGraphType>)).Description("Amount in minor units, e.g. 1999 for 19.99 EUR.");
        t.Field(x => x.Currency).Description("ISO 4217 currency code.");
    }

    public static void Address(ComplexGraphType<AddressDto> t)
    {
        t.Field(x => x.Name);
        t.Field(x => x.Company, nullable: true);
        t.Field(x => x.Line1);
        t.Field(x => x.Line2, nullable: true);
        t.Field(x => x.City);
        t.Field(x => x.Region, nullable: true);
        t.Field(x => x.PostalCode, nullable: true);
        t.Field(x => x.Country).Description("ISO 3166-1 alpha-2 country code.");
        t.Field(x => x.Phone, nullable: true);
        t.Field(x => x.Latitude, nullable: true);
        t.Field(x => x.Longitude, nullable: true);
    }
}

public sealed class PageInfoType : ObjectGraphType<PageInfo>
{
    public PageInfoType()
    {
        Name = "PageInfo";
        Description = "Relay cursor-connection page information.";
        Field(x => x.HasNextPage);
        Field(x => x.HasPreviousPage);
        Field(x => x.StartCursor, nullable: true);
        Field(x => x.EndCursor, nullable: true);
    }
}

/// <summary>A Relay edge, named after its node type (OrderEdge for Order).</summary>
public sealed class EdgeType<TNodeType, TNode> : ObjectGraphType<Edge<TNode>> where TNodeType : IGraphType
{
    public EdgeType()
    {
        Name = ConnectionType<TNodeType, TNode>.NodeName + "Edge";
        Field(x => x.Cursor);
        Field(x => x.Node, type: typeof(NonNullGraphType<TNodeType>));
    }
}

/// <summary>A Relay connection, named after its node type (OrderConnection for Order).</summary>
public sealed class ConnectionType<TNodeType, TNode> : ObjectGraphType<Connection<TNode>> where TNodeType : IGraphType
{
    internal static string NodeName => typeof(TNodeType).Name.EndsWith("Type", StringComparison.Ordinal) ? typeof(TNodeType).Name[..^4] : typeof(TNodeType).Name;

    public ConnectionType()
    {
        Name = NodeName + "Connection";
        Field(x => x.Edges, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<EdgeType<TNodeType, TNode>>>>));
        Field(x => x.Nodes, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<TNodeType>>>));
        Field(x => x.PageInfo, type: typeof(NonNullGraphType<PageInfoType>));
    }
}

public sealed record PageInfo(bool HasNextPage, bool HasPreviousPage, string? StartCursor, string? EndCursor);

public sealed record Edge<T>(string Cursor, T Node);

public sealed record Connection<T>(IReadOnlyList<Edge<T>> Edges, PageInfo PageInfo)
{
    public IEnumerable<T> Nodes => Edges.Select(e => e.Node);

    /// <summary>A forward-only connection from one of our pages; <paramref name="cursorOf"/> gives each item's own cursor.</summary>
    public static Connection<T> From(Page<T> page, Func<T, string> cursorOf, PageRequest request)
    {
        var edges = page.Data.Select(x => new Edge<T>(cursorOf(x), x)).ToList();
        return new(edges, new PageInfo(page.HasMore, request.After is not null, edges.FirstOrDefault()?.Cursor, edges.LastOrDefault()?.Cursor));
    }
}

/// <summary>Every list field pages the same way: <c>first</c> and <c>after</c>, as REST's <c>limit</c> and <c>cursor</c>.</summary>
public static class GraphPaging
{
    public static FieldBuilder<TSource, TReturn> Paged<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field) => field
        .Argument<IntGraphType>("first", a => a.Description = $"Page size, 1-{Cursor.MaxLimit} (default {Cursor.DefaultLimit}).")
        .Argument<StringGraphType>("after", a => a.Description = "endCursor of the previous page.");

    /// <summary>
    /// A paged field's answer: the page <paramref name="list"/> reads for the <c>first</c> and <c>after</c> asked for (a
    /// wrong one is reported by that name), as a connection whose cursors are <paramref name="cursorOf"/> each item.
    /// </summary>
    public static async Task<Connection<T>> ConnectionAsync<T>(this global::GraphQL.IResolveFieldContext context,
        Func<PageRequest, Task<Page<T>>> list, Func<T, string> cursorOf)
    {
        var request = Platform.Http.PageRequest.Graph(context.GetArgument<int?>("first"), context.GetArgument<string?>("after"));
        return Connection<T>.From(await list(request), cursorOf, request);
    }
}

/// <summary>String key/values as a JSON object, e.g. <c>{"giftWrap": "yes"}</c>.</summary>
public sealed class StringMapGraphType : ScalarGraphType
{
    public StringMapGraphType()
    {
        Name = "StringMap";
        Description = "A JSON object whose values are all strings, e.g. {\"giftWrap\": \"yes\"}.";
    }

    public override object? ParseLiteral(GraphQLValue value) => value switch
    {
        GraphQLNullValue => null,
        GraphQLObjectValue obj => (obj.Fields ?? []).ToDictionary(
            f => f.Name.StringValue,
            f => f.Value is GraphQLStringValue s ? s.Value.ToString() : NotAString()),
        _ => ThrowLiteralConversionError(value),
    };

    public override object? ParseValue(object? value) => value switch
    {
        null => null,
        IDictionary<string, string> d => new Dictionary<string, string>(d),
        IDictionary<string, object?> d => d.ToDictionary(kv => kv.Key, kv => kv.Value as string ?? NotAString()),
        _ => ThrowValueConversionError(value),
    };

    public override object? Serialize(object? value) => value switch
    {
        null => null,
        IReadOnlyDictionary<string, string> d => d,
        _ => ThrowSerializationError(value),
    };

    private static string NotAString() => throw new FormatException("Every value of a StringMap must be a string.");
}

public sealed class DeliveryInputType : InputObjectGraphType<DeliveryDto>
{
    public DeliveryInputType()
    {
        Name = "DeliveryInput";
        Field(x => x.Type, type: typeof(NonNullGraphType<EnumerationGraphType<DeliveryType>>));
        Field(x => x.PickupLocation, nullable: true);
    }
}

public sealed class OrderLineInputType : InputObjectGraphType<OrderLineRequest>
{
    public OrderLineInputType()
    {
        Name = "OrderLineInput";
        Field(x => x.Sku);
        Field(x => x.Quantity);
        Field(x => x.UnitPrice, type: typeof(LongGraphType)).Description("Minor units; defaults to the catalog price.");
    }
}

/// <summary>The built-in DateTimeOffset scalar, written in UTC with <c>Z</c>; it reads any offset as before.</summary>
public sealed class UtcDateTimeOffsetGraphType : DateTimeOffsetGraphType
{
    public UtcDateTimeOffsetGraphType() => Name = "DateTimeOffset"; // the same scalar to clients, only written in UTC

    public override object? Serialize(object? value) =>
        value is DateTimeOffset time ? time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture) : base.Serialize(value);
}
