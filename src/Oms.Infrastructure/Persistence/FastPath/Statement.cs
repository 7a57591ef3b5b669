using System.Data;

namespace Oms.Infrastructure.Persistence.FastPath;

/// <summary>
/// One statement of a <see cref="RoundTrip"/>: its SQL and the values of its <c>$1</c>, <c>$2</c>, … in order. Not
/// <c>params</c>: a single array argument would be taken for the parameter list itself.
/// </summary>
/// <param name="Reused">The statement's parameter objects are kept for the next statement with the same
/// <paramref name="Sql"/> (the same string object: a constant or a cached text). For a statement sent very often with
/// many parameters: a checkout's write has some 140, and creating them was a fifth of what a checkout allocated. (Only
/// the parameters: a batch command remembers the connection it was prepared on.)</param>
/// <param name="Types">The parameters' types where the values alone would not say (a null has none), in order; null
/// entries (or no array) leave the type to the value. A prepared statement keeps its parameters' types: one that changed
/// with every null would be prepared again and again.</param>
public readonly record struct Statement(string Sql, object?[] Parameters, bool Reused = false, DbType?[]? Types = null);
