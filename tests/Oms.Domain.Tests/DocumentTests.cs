using Oms.Domain.Common;
using Oms.Domain.Documents;
using Oms.Domain.Orders;

namespace Oms.Domain.Tests;

public sealed class DocumentTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private static readonly SellerDetails Seller = new()
    {
        Name = "Testshop BV", Address = new Address("Testshop BV", null, "Rue de la Loi 16", null, "Brussels", null, "1000", "BE", null, null, null), VatId = "BE0123456749",
    };

    private static Order NewOrder(string country = "BE", string? vatId = null, int taxBasisPoints = 2100, long shipping = 499) => Order.Place(
        new OrderDraft(OrderChannel.Web, null, new CustomerInfo("jan@example.com", "Jan", null, vatId),
            new Address("Jan", null, "Meir 1", null, "Antwerpen", null, "2000", country, null, null, null), null,
            new Delivery(DeliveryType.Ship, null), OrderPriority.Standard, "EUR", [new LineItem("SKU-1", "Mug", 3, 1999), new LineItem("SKU-2", "Plate", 1, 1250)], null,
            new Dictionary<string, string>()),
        100001, new Charges(shipping, taxBasisPoints), "tester", Now);

    private static Document Issued(Order order, long paid = 0)
    {
        var (document, _) = Document.Draft(DocumentKind.Invoice, DocumentContent.InvoiceFor(order, Seller, "en", paid, null, null, DateOnly.FromDateTime(Now.UtcDateTime)),
            order.Id, null, "invoice:x:0", DocumentActor.System, Now);
        document.Issue(new DocumentNumber("INV", 2026, 7), DocumentActor.System, Now);
        return document;
    }

    [Fact]
    public void An_invoice_shows_the_orders_lines_shipping_and_tax_as_charged_and_what_is_left_to_pay()
    {
        var order = NewOrder();
        var invoice = Issued(order, paid: 1000);
        var c = invoice.Content;
        Assert.Equal("INV-2026-000007", invoice.Number);
        Assert.Equal("INV-2026-000007", c.Number);
        Assert.Equal(new[] { 5997L, 1250L }, c.Lines.Select(l => l.Net));
        Assert.All(c.Lines, l => Assert.Equal(("S", 2100), (l.TaxCategory, l.TaxRateBasisPoints)));
        Assert.Equal(5997 + 1250 + 499, c.Net);
        Assert.Equal(order.TaxTotal, c.Tax);
        Assert.Equal((long)Math.Round((5997 + 1250 + 499) * 0.21m, MidpointRounding.AwayFromZero), c.Tax);
        Assert.Equal(order.Total, c.Gross);
        Assert.Equal((1000L, order.Total - 1000), (c.Paid, c.Due));
        Assert.Equal(new TaxSubtotal("S", 2100, c.Net, c.Tax), Assert.Single(c.Taxes));
        Assert.False(c.ReverseCharge);
        Assert.Equal(order.Total, invoice.Total);
        Assert.Equal("document.issued", Assert.Single(invoice.DomainEvents).Type);
    }

    [Theory]
    [InlineData("NL", "NL854621490B01", 0, "AE", true)]    // a business in another member state, no VAT charged: reverse charge
    [InlineData("BE", "BE0123456749", 2100, "S", false)]    // a business in the seller's own state pays VAT
    [InlineData("NL", null, 2100, "S", false)]              // a consumer in another state: its VAT
    [InlineData("US", null, 0, "G", false)]                 // goods leaving the EU
    [InlineData("BE", null, 0, "Z", false)]                 // zero rated at home
    public void The_VAT_category_follows_the_rate_the_buyer_and_where_the_goods_go(string country, string? vatId, int rate, string category, bool reverse)
    {
        var c = Issued(NewOrder(country, vatId, rate)).Content;
        Assert.Equal((category, reverse), (c.Taxes[0].Category, c.ReverseCharge));
        Assert.All(c.Lines, l => Assert.Equal(category, l.TaxCategory));
    }

    [Theory]
    [InlineData("BE", "NL854621490B01", "NL", true)]
    [InlineData("BE", "NL854621490B01", "BE", true)]   // the buyer's business is Dutch; the goods stay in the EU
    [InlineData("BE", "BE0123456749", "NL", false)]    // the same member state as the seller
    [InlineData("BE", "NL854621490B01", "US", false)]  // the goods leave the EU: export, not reverse charge
    [InlineData("CH", "NL854621490B01", "NL", false)]  // a seller outside the EU
    [InlineData("BE", null, "NL", false)]              // a consumer
    [InlineData("BE", "EL123456789", "GR", true)]      // Greece writes EL
    public void Reverse_charge_needs_an_EU_seller_a_business_buyer_of_another_state_and_goods_in_the_EU(string seller, string? vatId, string goodsTo, bool expected) =>
        Assert.Equal(expected, Vat.IsReverseCharge(seller, vatId, goodsTo));

    [Theory]
    [InlineData("be 0123.456.749", "BE0123456749")]
    [InlineData("NL8546-21-490-B01", "NL854621490B01")]
    [InlineData("not a vat id", null)]
    [InlineData("XX12345678", null)]
    [InlineData("DE12", "DE12")]
    [InlineData("", null)]
    public void VAT_ids_are_kept_upper_case_without_separators_and_must_start_with_a_country(string given, string? kept) =>
        Assert.Equal(kept, Vat.NormalizeId(given));

    [Fact]
    public void Pricing_charges_no_VAT_to_a_business_buyer_of_another_member_state()
    {
        var pricing = new PricingPolicy(new PricingSettings { TaxRates = new() { ["NL"] = 21m } }, sellerCountry: "BE");
        Assert.Equal(0, pricing.ChargesFor(10_000, OrderPriority.Standard, new Delivery(DeliveryType.Ship, null), "NL", null, "NL854621490B01").TaxRateBasisPoints);
        Assert.Equal(2100, pricing.ChargesFor(10_000, OrderPriority.Standard, new Delivery(DeliveryType.Ship, null), "NL", null, null).TaxRateBasisPoints);
        Assert.Equal(2100, new PricingPolicy(new PricingSettings { TaxRates = new() { ["NL"] = 21m } })
            .ChargesFor(10_000, OrderPriority.Standard, new Delivery(DeliveryType.Ship, null), "NL", null, "NL854621490B01").TaxRateBasisPoints); // no seller country: no rule
    }

    [Theory]
    [InlineData(1_210, 2100, 1_000, 210)]
    [InlineData(1, 2100, 1, 0)]
    [InlineData(9_999, 1900, 8_403, 1_596)]
    [InlineData(5_000, 0, 5_000, 0)]
    public void A_refunds_credit_note_gives_back_exactly_the_refund_with_the_tax_worked_out_backwards(long refund, int rate, long net, long tax)
    {
        var invoice = Issued(NewOrder(taxBasisPoints: rate));
        var credit = DocumentContent.CreditFor(invoice, refund, "goodwill", "Refund", Now);
        Assert.Equal((refund, net, tax), (credit.Gross, credit.Net, credit.Tax));
        Assert.Equal(net + tax, refund);
        Assert.Equal(("INV-2026-000007", "goodwill", DocumentKind.CreditNote), (credit.CorrectsNumber, credit.Reason, credit.Kind));
        Assert.Equal(net, Assert.Single(credit.Lines).Net);
    }

    [Fact]
    public void A_voided_invoice_keeps_its_number_and_its_credit_note_gives_back_all_of_it()
    {
        var invoice = Issued(NewOrder(), paid: 500);
        invoice.ClearDomainEvents();
        var voided = invoice.Void("  wrong address ", DocumentActor.System, Now);
        Assert.Equal((DocumentStatus.Voided, "INV-2026-000007", "wrong address"), (invoice.Status, invoice.Number, invoice.VoidReason));
        Assert.Equal((DocumentAction.Voided, "wrong address"), (voided.Action, voided.Detail));
        Assert.Equal("document.voided", Assert.Single(invoice.DomainEvents).Type);
        var credit = DocumentContent.CreditFor(invoice, "wrong address", Now);
        Assert.Equal((invoice.Content.Gross, invoice.Content.Tax, 0L), (credit.Gross, credit.Tax, credit.Due));
        Assert.Equal(invoice.Content.Lines, credit.Lines);
        Assert.Equal("document.invalid_transition", Assert.Throws<ConflictException>(() => invoice.Void("again", DocumentActor.System, Now)).Code);
        Assert.Equal("document.invalid_transition", Assert.Throws<ConflictException>(() => invoice.Send("jan@example.com", DocumentActor.System, Now)).Code);
        var (creditNote, _) = Document.Draft(DocumentKind.CreditNote, credit, invoice.OrderId, null, "void:x", DocumentActor.System, Now, invoice.Id);
        creditNote.Issue(new DocumentNumber("CN", 2026, 1), DocumentActor.System, Now);
        Assert.Equal("document.not_voidable", Assert.Throws<ConflictException>(() => creditNote.Void("no", DocumentActor.System, Now)).Code);
    }

    [Fact]
    public void Credit_notes_count_against_their_invoice_which_is_never_credited_beyond_its_total()
    {
        var invoice = Issued(NewOrder());
        invoice.CreditedBy(1_000, Now);
        Assert.Equal((1_000L, invoice.Total - 1_000), (invoice.Credited, invoice.Creditable));
        Assert.Equal("document.over_credit", Assert.Throws<DomainException>(() => invoice.CreditedBy(invoice.Total, Now)).Code);
        invoice.CreditedBy(invoice.Total - 1_000, Now);
        Assert.Equal(0, invoice.Creditable);
        invoice.Void("wrong address", DocumentActor.System, Now);
        Assert.Equal(0, invoice.Creditable);
    }

    [Fact]
    public void Documents_move_only_along_their_table()
    {
        var legal = new HashSet<(DocumentStatus, DocumentStatus)>
        {
            (DocumentStatus.Draft, DocumentStatus.Issued), (DocumentStatus.Issued, DocumentStatus.Sent), (DocumentStatus.Issued, DocumentStatus.Voided),
            (DocumentStatus.Sent, DocumentStatus.Voided),
        };
        foreach (var from in Enum.GetValues<DocumentStatus>())
            foreach (var to in Enum.GetValues<DocumentStatus>())
                Assert.Equal(legal.Contains((from, to)), Document.Lifecycle.CanMove(from, to));
    }

    [Fact]
    public void Only_the_customers_first_view_raises_document_viewed_and_a_customer_cannot_open_a_draft()
    {
        var invoice = Issued(NewOrder());
        invoice.ClearDomainEvents();
        var staff = new DocumentActor(ActorKind.ApiKey, "accounts", "198.51.100.4");
        var customer = new DocumentActor(ActorKind.Customer, "customer", "203.0.113.9");
        Assert.Equal(DocumentAction.Downloaded, invoice.Opened(true, "pdf", staff, Now).Action);
        Assert.Empty(invoice.DomainEvents);
        Assert.Equal(DocumentAction.Viewed, invoice.Opened(false, "pdf", customer, Now).Action);
        invoice.Opened(false, "html", customer, Now.AddMinutes(1));
        Assert.Equal("document.viewed", Assert.Single(invoice.DomainEvents).Type);
        Assert.Equal(Now, invoice.CustomerViewedAt);

        var (draft, created) = Document.Draft(DocumentKind.Invoice, invoice.Content, invoice.OrderId, null, "invoice:x:1", staff, Now);
        Assert.Equal((DocumentAction.Created, ActorKind.ApiKey, "accounts"), (created.Action, created.ActorKind, created.Actor));
        Assert.Throws<NotFoundException>(() => draft.Opened(false, "pdf", customer, Now));
        Assert.Equal(["issue"], draft.AvailableActions);
        Assert.Throws<InvalidOperationException>(() => draft.Issue(null, staff, Now)); // an invoice needs its number
    }

    [Fact]
    public void Erasure_keeps_the_number_lines_and_amounts_and_drops_the_buyer()
    {
        var invoice = Issued(NewOrder(vatId: "NL854621490B01", country: "NL", taxBasisPoints: 0));
        invoice.ErasePersonalData(text => text.Replace("Jan", "erased"), Now);
        var c = invoice.Content;
        Assert.Equal(("erased", null, null), (c.Buyer.Name, c.Buyer.Email, c.Buyer.VatId));
        Assert.Equal(("erased", "NL"), (c.ShipTo!.Line1, c.ShipTo.Country));
        Assert.Equal(("INV-2026-000007", 2), (invoice.Number, c.Lines.Count));
        Assert.Equal(invoice.Total, c.Gross);
    }

    [Theory]
    [InlineData(1999, "EUR", "19.99")]
    [InlineData(5, "EUR", "0.05")]
    [InlineData(1999, "JPY", "1999")]
    [InlineData(1999, "KWD", "1.999")]
    public void Amounts_are_written_with_their_currencys_decimals(long minor, string currency, string written) =>
        Assert.Equal(written, Currencies.Format(minor, currency));
}
