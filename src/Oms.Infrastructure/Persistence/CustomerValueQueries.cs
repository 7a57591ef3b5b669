using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;
using Microsoft.EntityFrameworkCore.Storage;
using Oms.Infrastructure.Persistence.Configurations;

namespace Oms.Infrastructure.Persistence;

/// <summary>
/// <see cref="CustomerValueJson.AmountIn"/> in queries: each provider says how to read one currency's amount out of
/// the JSON (as text); this makes it a bigint, 0 when the customer has no value in that currency.
/// </summary>
internal static class CustomerValueQueries
{
    /// <param name="amountText">(the value column, the currency, a text mapping, a bigint mapping) → the amount as text, or NULL.</param>
    /// <param name="storeType">The value column's type (jsonb on PostgreSQL).</param>
    public static void Map(ModelBuilder model, DbContext context, string? storeType,
        Func<SqlExpression, SqlExpression, RelationalTypeMapping, RelationalTypeMapping, SqlExpression> amountText)
    {
        var mappings = context.GetService<IRelationalTypeMappingSource>();
        var text = mappings.FindMapping(typeof(string))!;
        var number = mappings.FindMapping(typeof(long))!;
        var column = (storeType is null ? text : mappings.FindMapping(typeof(string), storeType)!).WithComposedConverter(CustomerValueJson.Converter) as RelationalTypeMapping;
        var function = model.HasDbFunction(typeof(CustomerValueJson).GetMethod(nameof(CustomerValueJson.AmountIn))!);
        function.HasParameter("value").Metadata.TypeMapping = column;
        function
            .HasTranslation(args => new SqlFunctionExpression("COALESCE",
                [new SqlUnaryExpression(ExpressionType.Convert, amountText(args[0], args[1], text, number), typeof(long), number), new SqlConstantExpression(0L, typeof(long), number)],
                nullable: false, argumentsPropagateNullability: [false, false], typeof(long), number));
    }
}
