using Oms.Domain.Common;
using Oms.Domain.Customers;
using Oms.Domain.Orders;

namespace Oms.Domain.Documents;

/// <summary>The seller as its documents name it (from configuration, as it was when each document was issued).</summary>
public sealed record SellerDetails
{
    public required string Name { get; init; }
    public required Address Address { get; init; }
    public string? VatId { get; init; }
    /// <summary>The company register's number (BT-30), e.g. a KBO/BCE or KvK number.</summary>
    public string? CompanyId { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public string? Website { get; init; }
    public string? Iban { get; init; }
    public string? Bic { get; init; }
    public string? Bank { get; init; }
    /// <summary>A Peppol participant id as <c>scheme:id</c> (e.g. <c>0208:0123456789</c>); the e-invoice falls back to the VAT id.</summary>
    public string? PeppolId { get; init; }
}

/// <summary>Who the document is for: the bill-to party of the order.</summary>
public sealed record DocumentParty
{
    public required string Name { get; init; }
    public string? Company { get; init; }
    public Address? Address { get; init; }
    public string? VatId { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }
}

/// <summary>A line as the document shows it: quantity, unit price and amount without tax, and the tax that applies.</summary>
public sealed record DocumentLine
{
    public required string Sku { get; init; }
    public required string Name { get; init; }
    public required int Quantity { get; init; }
    public required long UnitPrice { get; init; }
    /// <summary>Quantity times unit price, without tax.</summary>
    public required long Net { get; init; }
    public required int TaxRateBasisPoints { get; init; }
    /// <summary>The EN 16931 VAT category (UNCL5305): S standard, Z zero rated, AE reverse charge, K intra-community, G export.</summary>
    public required string TaxCategory { get; init; }
    /// <summary>A return slip: why the line comes back.</summary>
    public string? Note { get; init; }
}

/// <summary>What is taxed at one rate and category, and the tax on it (EN 16931's VAT breakdown, BG-23).</summary>
public sealed record TaxSubtotal(string Category, int RateBasisPoints, long Taxable, long Tax);

/// <summary>
/// Everything a document showed when it was issued: seller, buyer, addresses, lines, amounts, dates, terms. Kept with
/// the document so that it renders the same forever, whatever later happens to the order, the seller's settings or the
/// customer.
/// </summary>
public sealed record DocumentContent
{
    public required DocumentKind Kind { get; init; }
    public required string Locale { get; init; }
    public string? Number { get; init; }
    public DateTimeOffset? IssuedAt { get; init; }
    public required SellerDetails Seller { get; init; }
    public required DocumentParty Buyer { get; init; }
    public Address? ShipTo { get; init; }
    public required string OrderNumber { get; init; }
    public required DateTimeOffset OrderDate { get; init; }
    public string? ChannelOrderRef { get; init; }
    /// <summary>When the goods were (or are to be) supplied: the first shipment, else the order's confirmation.</summary>
    public DateOnly? SupplyDate { get; init; }
    public required string Currency { get; init; }
    public required IReadOnlyList<DocumentLine> Lines { get; init; }
    /// <summary>Shipping charged, without tax (a document-level charge in the e-invoice).</summary>
    public long Shipping { get; init; }
    public IReadOnlyList<TaxSubtotal> Taxes { get; init; } = [];
    /// <summary>Lines and shipping without tax.</summary>
    public long Net { get; init; }
    public long Tax { get; init; }
    public long Gross { get; init; }
    /// <summary>What was paid when the document was issued, and what is left to pay.</summary>
    public long Paid { get; init; }
    public long Due { get; init; }
    public bool ReverseCharge { get; init; }
    /// <summary>Payment terms in days for an invoice payment (<see cref="DueDate"/> follows from them); null when paid or paid otherwise.</summary>
    public int? PaymentTermsDays { get; init; }
    public DateOnly? DueDate { get; init; }
    /// <summary>A credit note: the invoice it corrects, and why (a refund, or the invoice's voiding).</summary>
    public string? CorrectsNumber { get; init; }
    public DateTimeOffset? CorrectsIssuedAt { get; init; }
    public string? Reason { get; init; }
    /// <summary>A return slip: the return's number and where to send the goods.</summary>
    public string? ReturnNumber { get; init; }
    public Address? ReturnTo { get; init; }
    /// <summary>A packing slip: the node that ships it and its packages' tracking.</summary>
    public string? NodeCode { get; init; }
    public IReadOnlyList<string> Packages { get; init; } = [];

    /// <summary>The content as a caller without the buyer's personal data sees it (<see cref="PersonalData"/>): the seller and the return address stay.</summary>
    public DocumentContent Masked() => this with
    {
        Buyer = Buyer with
        {
            Name = PersonalData.Mask(PersonalField.Name, Buyer.Name), Email = PersonalData.MaskOrNull(PersonalField.Email, Buyer.Email),
            Phone = PersonalData.MaskOrNull(PersonalField.Phone, Buyer.Phone), Address = Buyer.Address is { } a ? PersonalData.Mask(a) : null,
        },
        ShipTo = ShipTo is { } s ? PersonalData.Mask(s) : null,
    };

    /// <summary>The same content without anything that identifies the buyer (erasure): the amounts, lines and dates stay; free text is scrubbed.</summary>
    public DocumentContent Erased(Func<string, string> scrub) => this with
    {
        Buyer = new DocumentParty { Name = Customer.Erased, Address = Buyer.Address is { } a ? Order.ErasedAddress(a) : null },
        ShipTo = ShipTo is { } s ? Order.ErasedAddress(s) : null,
        Reason = Reason is { } reason ? scrub(reason) : null,
    };

    /// <summary>
    /// An invoice for the order as it stands: its lines, shipping and tax (one rate per order, on lines and shipping
    /// together, as the order charged it), what was paid, and the terms of an invoice payment.
    /// </summary>
    public static DocumentContent InvoiceFor(Order order, SellerDetails seller, string locale, long paid, int? termsDays, DateOnly? dueDate, DateOnly? supplyDate)
    {
        var billTo = order.BillingAddress ?? order.ShippingAddress;
        var reverse = order.TaxRateBasisPoints == 0 && Vat.IsReverseCharge(seller.Address.Country, order.Customer.VatId, billTo?.Country ?? order.ShippingAddress?.Country);
        var category = CategoryOf(order.TaxRateBasisPoints, reverse, seller.Address.Country, order.ShippingAddress?.Country ?? billTo?.Country);
        var lines = order.Lines.Select(l => new DocumentLine
        {
            Sku = l.Sku, Name = l.Name, Quantity = l.Quantity, UnitPrice = l.UnitPrice, Net = l.Total, TaxRateBasisPoints = order.TaxRateBasisPoints, TaxCategory = category,
        }).ToList();
        var net = order.Subtotal + order.ShippingTotal;
        return new DocumentContent
        {
            Kind = DocumentKind.Invoice, Locale = locale, Seller = seller, Buyer = BuyerOf(order, billTo), ShipTo = order.ShippingAddress,
            OrderNumber = order.DisplayNumber, OrderDate = order.CreatedAt, ChannelOrderRef = order.ChannelOrderRef, SupplyDate = supplyDate,
            Currency = order.Currency, Lines = lines, Shipping = order.ShippingTotal,
            Taxes = [new TaxSubtotal(category, order.TaxRateBasisPoints, net, order.TaxTotal)],
            Net = net, Tax = order.TaxTotal, Gross = order.Total, Paid = Math.Min(paid, order.Total), Due = Order.Outstanding(order.Total, paid),
            ReverseCharge = reverse, PaymentTermsDays = paid >= order.Total ? null : termsDays, DueDate = paid >= order.Total ? null : dueDate,
        };
    }

    /// <summary>
    /// A credit note for money given back (<paramref name="gross"/>, tax included) against an invoice: one line, its tax
    /// worked out backwards at the invoice's rate, so the credit note's total is exactly what was refunded.
    /// </summary>
    public static DocumentContent CreditFor(Document invoice, long gross, string reason, string lineName, DateTimeOffset now)
    {
        var source = invoice.Content;
        var rate = source.Taxes.Count == 1 ? source.Taxes[0].RateBasisPoints : 0;
        var category = source.Taxes.Count == 1 ? source.Taxes[0].Category : "S";
        var tax = gross - (long)Math.Round(gross * 10_000m / (10_000m + rate), MidpointRounding.AwayFromZero);
        var net = gross - tax;
        return source with
        {
            Kind = DocumentKind.CreditNote, Number = null, IssuedAt = null,
            Lines = [new DocumentLine { Sku = "refund", Name = lineName, Quantity = 1, UnitPrice = net, Net = net, TaxRateBasisPoints = rate, TaxCategory = category }],
            Shipping = 0, Taxes = [new TaxSubtotal(category, rate, net, tax)], Net = net, Tax = tax, Gross = gross, Paid = 0, Due = 0,
            PaymentTermsDays = null, DueDate = null, CorrectsNumber = invoice.Number, CorrectsIssuedAt = invoice.IssuedAt, Reason = reason,
            SupplyDate = DateOnly.FromDateTime(now.UtcDateTime),
        };
    }

    /// <summary>The credit note that cancels a voided invoice: every line and amount of it, given back.</summary>
    public static DocumentContent CreditFor(Document voided, string reason, DateTimeOffset now) => voided.Content with
    {
        Kind = DocumentKind.CreditNote, Number = null, IssuedAt = null, Paid = 0, Due = 0, PaymentTermsDays = null, DueDate = null,
        CorrectsNumber = voided.Number, CorrectsIssuedAt = voided.IssuedAt, Reason = reason,
    };

    /// <summary>A packing slip: ship-to, the node's lines (no prices) and its packages.</summary>
    public static DocumentContent PackingSlipFor(Order order, Fulfilment.FulfilmentOrder fulfilment, SellerDetails seller, string locale, IReadOnlyList<string> packages) => new()
    {
        Kind = DocumentKind.PackingSlip, Locale = locale, Seller = seller, Buyer = BuyerOf(order, order.ShippingAddress ?? order.BillingAddress), ShipTo = order.ShippingAddress,
        OrderNumber = order.DisplayNumber, OrderDate = order.CreatedAt, ChannelOrderRef = order.ChannelOrderRef, Currency = order.Currency,
        Lines = [.. fulfilment.Lines.Select(l => new DocumentLine { Sku = l.Sku, Name = l.Name, Quantity = l.Quantity, UnitPrice = 0, Net = 0, TaxRateBasisPoints = 0, TaxCategory = "" })],
        NodeCode = fulfilment.NodeCode, Packages = packages,
    };

    /// <summary>A return slip: the return's number, what to send back and where.</summary>
    public static DocumentContent ReturnSlipFor(Order order, Returns.Return @return, SellerDetails seller, Address returnTo, string locale) => new()
    {
        Kind = DocumentKind.ReturnSlip, Locale = locale, Seller = seller, Buyer = BuyerOf(order, order.ShippingAddress ?? order.BillingAddress), ShipTo = order.ShippingAddress,
        OrderNumber = order.DisplayNumber, OrderDate = order.CreatedAt, ChannelOrderRef = order.ChannelOrderRef, Currency = order.Currency,
        Lines = [.. @return.Lines.Select(l => new DocumentLine
        {
            Sku = l.Sku, Name = order.Lines.FirstOrDefault(o => o.Id == l.OrderLineId)?.Name ?? l.Sku, Quantity = l.Quantity, UnitPrice = 0, Net = 0, TaxRateBasisPoints = 0,
            TaxCategory = "", Note = Names.Of(l.Reason),
        })],
        ReturnNumber = @return.Number, ReturnTo = returnTo,
    };

    private static DocumentParty BuyerOf(Order order, Address? billTo) => new()
    {
        Name = billTo?.Name ?? order.Customer.Name ?? order.Customer.Email, Company = billTo?.Company, Address = billTo,
        VatId = Vat.NormalizeId(order.Customer.VatId), Email = order.Customer.Email, Phone = order.Customer.Phone ?? billTo?.Phone,
    };

    /// <summary>
    /// The VAT category of an order's lines: standard when it charged tax; without tax, reverse charge between EU
    /// businesses, export when the goods leave the EU, else zero rated.
    /// </summary>
    public static string CategoryOf(int rateBasisPoints, bool reverseCharge, string sellerCountry, string? deliveryCountry) =>
        rateBasisPoints > 0 ? "S"
        : reverseCharge ? "AE"
        : Vat.IsEu(sellerCountry) && deliveryCountry is not null && !Vat.IsEu(deliveryCountry) ? "G"
        : "Z";
}
