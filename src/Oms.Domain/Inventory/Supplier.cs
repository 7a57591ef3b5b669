using Oms.Domain.Common;

namespace Oms.Domain.Inventory;

/// <summary>Someone we buy stock from.</summary>
public sealed class Supplier : AggregateRoot
{
    private Supplier() { }

    public Guid Id { get; private set; }
    public string Code { get; private set; } = "";
    public string Name { get; private set; } = "";
    public string? Email { get; private set; }
    public int LeadTimeDays { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public static Supplier Create(string code, string name, string? email, int leadTimeDays, DateTimeOffset now)
    {
        if (!Catalog.Skus.IsValid(code)) throw new DomainException("supplier.invalid_code", "A supplier code is 1-64 letters, digits, '-', '_' or '.'.", "code");
        var s = new Supplier { Id = Uuid.V7(now), Code = code.ToUpperInvariant(), CreatedAt = now };
        s.Update(name, email, leadTimeDays);
        return s;
    }

    public void Update(string name, string? email, int leadTimeDays)
    {
        if (leadTimeDays < 0) throw new DomainException("supplier.invalid_lead_time", "A lead time cannot be negative.", "leadTimeDays");
        Name = name;
        Email = email;
        LeadTimeDays = leadTimeDays;
    }
}
