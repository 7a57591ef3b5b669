using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Oms.Infrastructure.Persistence;

/// <summary>
/// A query compiled once per model (<c>EF.CompileAsyncQuery</c>) for the hottest reads, which skip EF's per-call
/// expression-tree hashing and cache lookup. EF binds a compiled query to the model it first ran against, and the
/// PostgreSQL and SQLite contexts each have their own, so there is one compiled copy per model.
/// </summary>
public sealed class CompiledQuery<TQuery>(Func<TQuery> compile) where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> _byModel = new();

    public TQuery For(DbContext db) => _byModel.GetValue(db.Model, _ => compile());
}
