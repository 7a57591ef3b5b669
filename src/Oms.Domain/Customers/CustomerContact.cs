using Oms.Domain.Common;

namespace Oms.Domain.Customers;

/// <summary>How someone was in touch with a customer, or a note about them.</summary>
public enum ContactChannel { Call, Email, Chat, Note, Other }

/// <summary>A logged contact with a customer (a call, an e-mail, a chat) or a note, with a summary: part of their timeline.</summary>
public sealed class CustomerContact
{
    public const int MaxSummaryLength = 4000;

    private CustomerContact() { }

    /// <param name="at">When it happened (default: now); not in the future.</param>
    public static CustomerContact Log(CustomerId customer, ContactChannel channel, string summary, string actor, DateTimeOffset? at, DateTimeOffset now)
    {
        summary = summary.Trim();
        if (summary.Length == 0) throw new DomainException("customer.contact_summary_required", "Say what the contact was about.", "summary");
        if (summary.Length > MaxSummaryLength) throw new DomainException("customer.contact_summary_too_long", $"A summary has at most {MaxSummaryLength} characters.", "summary");
        if (at > now.AddMinutes(5)) throw new DomainException("customer.contact_in_the_future", "A contact cannot have happened in the future.", "at");
        return new CustomerContact { Id = Uuid.V7(now), CustomerId = customer, Channel = channel, Summary = summary, Actor = actor, At = at ?? now, CreatedAt = now };
    }

    public Guid Id { get; private set; }
    public CustomerId CustomerId { get; private set; }
    public ContactChannel Channel { get; private set; }
    public string Summary { get; private set; } = "";
    /// <summary>Who logged it (the API key's name).</summary>
    public string Actor { get; private set; } = "";
    public DateTimeOffset At { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Erasure (GDPR): what was said goes; that a contact happened, and when, stays.</summary>
    public void Erase() => Summary = Customer.Erased;
}
