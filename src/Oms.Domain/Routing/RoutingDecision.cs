using Oms.Domain.Common;
using Oms.Domain.Orders;

namespace Oms.Domain.Routing;

/// <summary>Why a routing happened.</summary>
public enum RoutingTrigger { Confirmation, Rejection, Backorder, ShortPick }

/// <summary>A routing decision as it was made, with every candidate and its score, kept so anyone can see why.</summary>
public sealed class RoutingDecision
{
    private RoutingDecision() { }

    public RoutingDecision(OrderId orderId, RoutingTrigger trigger, RoutingPlan plan, DateTimeOffset now)
    {
        Id = Uuid.V7(now);
        OrderId = orderId;
        Trigger = trigger;
        Outcome = plan.Outcome;
        Candidates = plan.Candidates.ToList();
        Short = plan.Short.ToList();
        At = now;
    }

    public Guid Id { get; private set; }
    public OrderId OrderId { get; private set; }
    public RoutingTrigger Trigger { get; private set; }
    public string Outcome { get; private set; } = "";
    public List<Candidate> Candidates { get; private set; } = [];
    public List<PlannedLine> Short { get; private set; } = [];
    public DateTimeOffset At { get; private set; }
}
