using Oms.Api.Platform.Auth;
using System.ComponentModel.DataAnnotations;
using Oms.Api.Platform.Http;
using Oms.Domain.Common;
using Oms.Domain.Documents;

namespace Oms.Api.Documents;

/// <summary>When an order's invoice is issued on its own.</summary>
public enum InvoiceMoment { Confirmation, FirstShipment, Manual }

/// <summary>The seller as configuration gives it (section <c>Seller</c>), printed on every document.</summary>
public sealed class SellerSettings
{
    public string? Name { get; set; }
    public string? Line1 { get; set; }
    public string? Line2 { get; set; }
    public string? City { get; set; }
    public string? Region { get; set; }
    public string? PostalCode { get; set; }
    public string? Country { get; set; }
    public string? VatId { get; set; }
    public string? CompanyId { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public string? Website { get; set; }
    public string? Iban { get; set; }
    public string? Bic { get; set; }
    public string? Bank { get; set; }
    public string? PeppolId { get; set; }
    /// <summary>Where returns go (a return slip's address); the seller's address when not set.</summary>
    public string? ReturnsLine1 { get; set; }
    public string? ReturnsCity { get; set; }
    public string? ReturnsPostalCode { get; set; }
    public string? ReturnsCountry { get; set; }
}

/// <summary>Documents (section <c>Documents</c>).</summary>
public sealed class DocumentOptions
{
    /// <summary>confirmation (default), first_shipment, or manual (only POST /orders/{id}/documents issues one).</summary>
    public InvoiceMoment InvoiceAt { get; set; } = InvoiceMoment.Confirmation;
    public string InvoiceSeries { get; set; } = "INV";
    public string CreditNoteSeries { get; set; } = "CN";
    /// <summary>The language of a document whose customer has none of en, nl, de, fr.</summary>
    public string DefaultLocale { get; set; } = "en";
    /// <summary>How long a customer's link to a document works (days, default 30).</summary>
    public int LinkDays { get; set; } = 30;
    /// <summary>Orders the issuer looks at per transaction.</summary>
    public int BatchSize { get; set; } = 50;
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>
    /// While this process answers <see cref="BusyRequests"/> requests or more, the issuer waits, up to
    /// <see cref="MaxDelay"/> after an order became due: a checkout peak is not slowed by invoices that can come a
    /// minute later; the issuer catches up when the peak has passed, or once the oldest order has waited MaxDelay.
    /// </summary>
    public bool YieldToRequests { get; set; } = true;
    public int BusyRequests { get; set; } = 4;
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>Off: nothing is issued on its own (tests that count statements, a process that only serves reads).</summary>
    public bool IssuerEnabled { get; set; } = true;
    /// <summary>Public document link opens per client address and minute (default 30).</summary>
    public int LinksPerClientPerMinute { get; set; } = 30;

    /// <summary>The seller from configuration, checked: null when no name is set (documents then cannot be issued).</summary>
    public static SellerDetails? SellerFrom(IConfiguration config)
    {
        var s = config.GetSection("Seller").Get<SellerSettings>();
        if (s is null || string.IsNullOrWhiteSpace(s.Name)) return null;
        if (!Countries.IsValid(s.Country) || string.IsNullOrWhiteSpace(s.Line1) || string.IsNullOrWhiteSpace(s.City))
            throw new InvalidOperationException("Seller: Line1, City and Country (ISO 3166 alpha-2) are required with Name.");
        if (s.VatId is { Length: > 0 } && Vat.NormalizeId(s.VatId) is null)
            throw new InvalidOperationException("Seller:VatId is not a VAT identifier (two letters of its country, then letters or digits).");
        var country = s.Country!.ToUpperInvariant();
        return new SellerDetails
        {
            Name = s.Name, Address = new Address(s.Name, null, s.Line1, s.Line2, s.City, s.Region, s.PostalCode, country, s.Phone, null, null),
            VatId = Vat.NormalizeId(s.VatId), CompanyId = s.CompanyId, Email = s.Email, Phone = s.Phone, Website = s.Website, Iban = s.Iban, Bic = s.Bic, Bank = s.Bank,
            PeppolId = s.PeppolId,
        };
    }

    /// <summary>Where a return slip sends the goods.</summary>
    public static Address ReturnsAddress(IConfiguration config, SellerDetails seller)
    {
        var s = config.GetSection("Seller").Get<SellerSettings>();
        return s is { ReturnsLine1.Length: > 0, ReturnsCity.Length: > 0 } && Countries.IsValid(s.ReturnsCountry)
            ? new Address(seller.Name, "Returns", s.ReturnsLine1, null, s.ReturnsCity, null, s.ReturnsPostalCode, s.ReturnsCountry!.ToUpperInvariant(), null, null, null)
            : seller.Address with { Company = "Returns" };
    }
}

/// <summary>A party on a document as it was printed.</summary>
public sealed record DocumentPartyDto : IMaskable
{
    /// <summary>The party as a caller without customers:pii sees a buyer: the place, not the person.</summary>
    public object Masked() => this with
    {
        Name = PersonalData.Mask(PersonalField.Name, Name), Email = PersonalData.MaskOrNull(PersonalField.Email, Email),
        Address = (AddressDto?)Address?.Masked(),
    };

    public required string Name { get; init; }
    public required string? Company { get; init; }
    public required AddressDto? Address { get; init; }
    /// <summary>VAT identifier, when there is one.</summary>
    public required string? VatId { get; init; }
    public required string? Email { get; init; }
}

/// <summary>A line as printed: without tax, and the VAT that applies.</summary>
public sealed record DocumentLineDto
{
    public required string Sku { get; init; }
    public required string Name { get; init; }
    public required int Quantity { get; init; }
    /// <summary>Without tax (zero on slips).</summary>
    public required MoneyDto UnitPrice { get; init; }
    /// <summary>Quantity × unit price, without tax.</summary>
    public required MoneyDto Net { get; init; }
    /// <summary>VAT rate in basis points (2100 = 21 %).</summary>
    public required int TaxRateBasisPoints { get; init; }
    /// <summary>EN 16931 VAT category: S standard, Z zero rated, AE reverse charge, G export; empty on slips.</summary>
    public required string TaxCategory { get; init; }
    /// <summary>A return slip: why the line comes back.</summary>
    public required string? Note { get; init; }
}

/// <summary>What is taxed at one rate, and the tax.</summary>
public sealed record TaxSubtotalDto
{
    public required string Category { get; init; }
    public required int RateBasisPoints { get; init; }
    public required MoneyDto Taxable { get; init; }
    public required MoneyDto Tax { get; init; }
}

/// <summary>One line of a document's trail: what was done, by whom, from where, when.</summary>
public sealed record DocumentActivityDto
{
    /// <summary>created, issued, viewed, downloaded, sent or voided.</summary>
    public required DocumentAction Action { get; init; }
    /// <summary>api_key, staff, customer (through a link) or system.</summary>
    public required ActorKind ActorKind { get; init; }
    /// <summary>The API key's name, the member of staff, "customer", or headlessoms.</summary>
    public required string Actor { get; init; }
    /// <summary>The client's network address; null for HeadlessOms's own work.</summary>
    public required string? Address { get; init; }
    /// <summary>The rendering fetched (pdf, html, ubl), where it was sent, or why it was voided.</summary>
    public required string? Detail { get; init; }
    public required DateTimeOffset At { get; init; }

    public static DocumentActivityDto From(DocumentActivity a) => new()
    {
        Action = a.Action, ActorKind = a.ActorKind, Actor = a.Actor, Address = a.Address, Detail = a.Detail, At = a.At,
    };
}

/// <summary>
/// An invoice, credit note, packing slip or return slip: its status, what it showed when issued (lines, amounts, parties,
/// dates) and its trail. Renderings: <c>GET /documents/{id}/pdf</c>, <c>/html</c>, and for invoices and credit notes
/// the UBL e-invoice <c>/ubl</c>.
/// </summary>
public sealed record DocumentDto
{
    public required Guid Id { get; init; }
    /// <summary>invoice, credit_note, packing_slip or return_slip.</summary>
    public required DocumentKind Kind { get; init; }
    /// <summary>draft, issued, sent or voided.</summary>
    public required DocumentStatus Status { get; init; }
    /// <summary>Invoices and credit notes once issued (series-year-sequence, without gaps); null for drafts and slips.</summary>
    public required string? Number { get; init; }
    public required Guid OrderId { get; init; }
    public required string OrderNumber { get; init; }
    public required Guid? CustomerId { get; init; }
    /// <summary>A credit note: the invoice it corrects.</summary>
    public required Guid? CorrectsId { get; init; }
    /// <summary>en, nl, de or fr: the language it is printed in.</summary>
    public required string Locale { get; init; }
    /// <summary>With tax; what a credit note gives back; zero for slips.</summary>
    public required MoneyDto Total { get; init; }
    public required MoneyDto Net { get; init; }
    public required MoneyDto Tax { get; init; }
    public required MoneyDto Shipping { get; init; }
    /// <summary>An invoice: what was paid when it was issued, and what was left to pay.</summary>
    public required MoneyDto Paid { get; init; }
    public required MoneyDto Due { get; init; }
    public required bool ReverseCharge { get; init; }
    /// <summary>An invoice: what its credit notes have given back so far.</summary>
    public required MoneyDto Credited { get; init; }
    public required int? PaymentTermsDays { get; init; }
    public required DateOnly? DueDate { get; init; }
    public required DateOnly? SupplyDate { get; init; }
    public required DocumentPartyDto Seller { get; init; }
    [Personal] public required DocumentPartyDto Buyer { get; init; }
    [Personal] public required AddressDto? ShipTo { get; init; }
    public required IReadOnlyList<DocumentLineDto> Lines { get; init; }
    public required IReadOnlyList<TaxSubtotalDto> Taxes { get; init; }
    /// <summary>A credit note: the number of the invoice it corrects, and why.</summary>
    public required string? CorrectsNumber { get; init; }
    public required string? Reason { get; init; }
    /// <summary>A return slip: the return's number, and where the goods go.</summary>
    public required string? ReturnNumber { get; init; }
    public required AddressDto? ReturnTo { get; init; }
    /// <summary>A packing slip: the node that ships, and its packages.</summary>
    public required string? NodeCode { get; init; }
    public required IReadOnlyList<string> Packages { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset? IssuedAt { get; init; }
    public required DateTimeOffset? SentAt { get; init; }
    public required DateTimeOffset? VoidedAt { get; init; }
    public required string? VoidReason { get; init; }
    /// <summary>When the customer first opened it through a link.</summary>
    public required DateTimeOffset? CustomerViewedAt { get; init; }
    /// <summary>What may be done now: issue, send, void.</summary>
    public required IReadOnlyList<string> AvailableActions { get; init; }
    public required int Version { get; init; }
    /// <summary>Everything done with the document, oldest first.</summary>
    public required IReadOnlyList<DocumentActivityDto> Trail { get; init; }

    public static DocumentDto From(Document d, IReadOnlyList<DocumentActivity> trail)
    {
        var c = d.Content;
        MoneyDto M(long amount) => MoneyDto.From(amount, c.Currency);
        return new DocumentDto
        {
            Id = d.Id.Value, Kind = d.Kind, Status = d.Status, Number = d.Number, OrderId = d.OrderId.Value, OrderNumber = c.OrderNumber,
            CustomerId = d.CustomerId?.Value, CorrectsId = d.CorrectsId?.Value, Locale = d.Locale,
            Total = M(c.Gross), Net = M(c.Net), Tax = M(c.Tax), Shipping = M(c.Shipping), Paid = M(c.Paid), Due = M(c.Due),
            ReverseCharge = c.ReverseCharge, Credited = M(d.Credited), PaymentTermsDays = c.PaymentTermsDays, DueDate = c.DueDate, SupplyDate = c.SupplyDate,
            Seller = new DocumentPartyDto
            {
                Name = c.Seller.Name, Company = null, Address = AddressDto.From(c.Seller.Address), VatId = c.Seller.VatId, Email = c.Seller.Email,
            },
            Buyer = new DocumentPartyDto { Name = c.Buyer.Name, Company = c.Buyer.Company, Address = AddressDto.From(c.Buyer.Address), VatId = c.Buyer.VatId, Email = c.Buyer.Email },
            ShipTo = AddressDto.From(c.ShipTo),
            Lines = [.. c.Lines.Select(l => new DocumentLineDto
            {
                Sku = l.Sku, Name = l.Name, Quantity = l.Quantity, UnitPrice = M(l.UnitPrice), Net = M(l.Net), TaxRateBasisPoints = l.TaxRateBasisPoints,
                TaxCategory = l.TaxCategory, Note = l.Note,
            })],
            Taxes = [.. c.Taxes.Select(t => new TaxSubtotalDto { Category = t.Category, RateBasisPoints = t.RateBasisPoints, Taxable = M(t.Taxable), Tax = M(t.Tax) })],
            CorrectsNumber = c.CorrectsNumber, Reason = c.Reason, ReturnNumber = c.ReturnNumber, ReturnTo = AddressDto.From(c.ReturnTo), NodeCode = c.NodeCode,
            Packages = c.Packages, CreatedAt = d.CreatedAt, IssuedAt = d.IssuedAt, SentAt = d.SentAt, VoidedAt = d.VoidedAt, VoidReason = d.VoidReason,
            CustomerViewedAt = d.CustomerViewedAt, AvailableActions = d.AvailableActions, Version = d.Version,
            Trail = [.. trail.Select(DocumentActivityDto.From)],
        };
    }
}

/// <summary>Draw up an order's invoice now (a warehouse worker at packing, or with InvoiceAt manual).</summary>
public sealed record CreateInvoiceRequest
{
    /// <summary>True: a draft without a number (issue it later with POST /documents/{id}/issue). Default false: issued at once.</summary>
    public bool Draft { get; init; }
}

/// <summary>The document went to the customer.</summary>
public sealed record SendDocumentRequest
{
    /// <summary>Where it went; the order's e-mail address when left out.</summary>
    [EmailAddress, StringLength(320)]
    public string? To { get; init; }
}

public sealed record VoidDocumentRequest
{
    /// <summary>Why the invoice is voided (printed on the credit note that follows).</summary>
    [Required, StringLength(Document.MaxReasonLength, MinimumLength = 1)]
    public required string Reason { get; init; }
}

/// <summary>The voided invoice and the credit note that cancels what earlier credit notes had not (null when refunds credited all of it).</summary>
public sealed record VoidDocumentResultDto
{
    public required DocumentDto Invoice { get; init; }
    public required DocumentDto? CreditNote { get; init; }
}

/// <summary>A link a customer opens without a key (the PDF; <c>?format=html</c> for the page); their views are recorded as theirs.</summary>
public sealed record DocumentLinkDto
{
    public required string Token { get; init; }
    /// <summary>The path to open (on this API's address).</summary>
    public required string Url { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
}
