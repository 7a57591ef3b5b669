namespace Oms.Domain.Common;

/// <summary>
/// Every legal status move of one kind of aggregate, in one table, and the one gate all its moves pass:
/// <see cref="EnsureCanMove"/> always throws on an illegal move (409 <c>{area}.invalid_transition</c>), never ignores
/// it. <see cref="CanMove"/> answers the same question without throwing (available actions, tolerant callers).
/// </summary>
public sealed class Lifecycle<TStatus> where TStatus : struct, Enum
{
    private readonly IReadOnlyDictionary<TStatus, TStatus[]> _moves;

    /// <param name="area">The error code's area, e.g. <c>payment</c> for <c>payment.invalid_transition</c>.</param>
    /// <param name="noun">What the aggregate is called in messages, e.g. <c>fulfilment order</c>.</param>
    public Lifecycle(string area, string noun, IReadOnlyDictionary<TStatus, TStatus[]> moves)
    {
        foreach (var status in Enum.GetValues<TStatus>())
            if (!moves.ContainsKey(status)) throw new ArgumentException($"The {noun} lifecycle says nothing about {Wire(status)}.", nameof(moves));
        Area = area;
        Noun = noun;
        _moves = moves;
    }

    public string Area { get; }
    public string Noun { get; }
    public string InvalidTransitionCode => Area + ".invalid_transition";

    public bool CanMove(TStatus from, TStatus to) => _moves[from].Contains(to);

    public IReadOnlyList<TStatus> TargetsFrom(TStatus from) => _moves[from];

    public void EnsureCanMove(TStatus from, TStatus to)
    {
        if (!CanMove(from, to)) throw InvalidMove(from, to);
    }

    public ConflictException InvalidMove(TStatus from, TStatus to) =>
        new(InvalidTransitionCode, $"{("aeiou".Contains(Noun[0]) ? "An" : "A")} {Noun} that is {Wire(from)} cannot become {Wire(to)}.");

    /// <summary>The snake_case name clients see (<c>ReadyForPickup</c> is <c>ready_for_pickup</c>).</summary>
    public static string Wire(TStatus status) => Names.Of(status);
}
