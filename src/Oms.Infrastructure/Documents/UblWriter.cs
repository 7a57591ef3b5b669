using System.Globalization;
using System.Text;
using System.Xml;
using Oms.Domain.Common;
using Oms.Domain.Documents;

namespace Oms.Infrastructure.Documents;

/// <summary>
/// An invoice or credit note as a UBL 2.1 e-invoice with the field set of EN 16931 and Peppol BIS Billing 3.0 (the
/// format Belgian businesses must exchange from 2026): specification and profile ids, number, dates, type code,
/// currency, seller and buyer with electronic addresses, VAT ids, postal addresses and legal names, delivery,
/// payment means and terms, shipping as a document-level charge, the VAT breakdown per category and rate, the totals
/// and the lines. Elements are written in the order the UBL schema requires.
/// </summary>
public static class UblWriter
{
    public const string InvoiceNamespace = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
    public const string CreditNoteNamespace = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2";
    public const string Cac = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
    public const string Cbc = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";
    public const string CustomizationId = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0";
    public const string ProfileId = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0";

    // Electronic address schemes (CEF EAS code list) of VAT numbers, by the VAT id's country.
    private static readonly Dictionary<string, string> VatSchemes = new(StringComparer.Ordinal)
    {
        ["AT"] = "9914", ["BE"] = "9925", ["DE"] = "9930", ["ES"] = "9920", ["FR"] = "9957", ["IE"] = "9935", ["IT"] = "9906",
        ["LU"] = "9938", ["NL"] = "9944", ["PT"] = "9946",
    };

    public static byte[] Write(Document document)
    {
        if (!document.IsNumbered || document.Number is null)
            throw new ConflictException("document.no_e_invoice", "Only an issued invoice or credit note has an e-invoice.");
        var c = document.Content;
        var credit = document.Kind == DocumentKind.CreditNote;
        var labels = DocumentLabels.For(c.Locale);
        using var stream = new MemoryStream();
        using (var x = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            x.WriteStartElement(credit ? "CreditNote" : "Invoice", credit ? CreditNoteNamespace : InvoiceNamespace);
            x.WriteAttributeString("xmlns", "cac", null, Cac);
            x.WriteAttributeString("xmlns", "cbc", null, Cbc);
            Basic(x, "CustomizationID", CustomizationId);
            Basic(x, "ProfileID", ProfileId);
            Basic(x, "ID", document.Number);
            Basic(x, "IssueDate", Day(document.IssuedAt!.Value));
            if (!credit && c.DueDate is { } due) Basic(x, "DueDate", due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            Basic(x, credit ? "CreditNoteTypeCode" : "InvoiceTypeCode", credit ? "381" : "380");
            if (c.ReverseCharge) Basic(x, "Note", labels["reverse_charge"]);
            if (credit && c.Reason is { } reason) Basic(x, "Note", reason);
            Basic(x, "DocumentCurrencyCode", c.Currency);
            Basic(x, "BuyerReference", c.ChannelOrderRef ?? c.OrderNumber);
            x.WriteStartElement("cac", "OrderReference", Cac);
            Basic(x, "ID", c.ChannelOrderRef ?? "NA"); // the buyer's purchase order (BT-13): a marketplace's reference, else "not applicable"
            Basic(x, "SalesOrderID", c.OrderNumber);
            x.WriteEndElement();
            if (credit && c.CorrectsNumber is { } corrected)
            {
                x.WriteStartElement("cac", "BillingReference", Cac);
                x.WriteStartElement("cac", "InvoiceDocumentReference", Cac);
                Basic(x, "ID", corrected);
                if (c.CorrectsIssuedAt is { } at) Basic(x, "IssueDate", Day(at));
                x.WriteEndElement();
                x.WriteEndElement();
            }
            Supplier(x, c.Seller);
            Customer(x, c.Buyer);
            if (c.SupplyDate is not null || c.ShipTo is not null)
            {
                x.WriteStartElement("cac", "Delivery", Cac);
                if (c.SupplyDate is { } supplied) Basic(x, "ActualDeliveryDate", supplied.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                if (c.ShipTo is { } shipTo)
                {
                    x.WriteStartElement("cac", "DeliveryLocation", Cac);
                    PostalAddress(x, "Address", shipTo);
                    x.WriteEndElement();
                }
                x.WriteEndElement();
            }
            if (c.Seller.Iban is { Length: > 0 } iban)
            {
                x.WriteStartElement("cac", "PaymentMeans", Cac);
                Basic(x, "PaymentMeansCode", "58"); // SEPA credit transfer
                Basic(x, "PaymentID", document.Number);
                x.WriteStartElement("cac", "PayeeFinancialAccount", Cac);
                Basic(x, "ID", iban.Replace(" ", "", StringComparison.Ordinal));
                Basic(x, "Name", c.Seller.Name);
                if (c.Seller.Bic is { Length: > 0 } bic)
                {
                    x.WriteStartElement("cac", "FinancialInstitutionBranch", Cac);
                    Basic(x, "ID", bic);
                    x.WriteEndElement();
                }
                x.WriteEndElement();
                x.WriteEndElement();
            }
            if (!credit && c.Due > 0 && c.PaymentTermsDays is { } days)
            {
                x.WriteStartElement("cac", "PaymentTerms", Cac);
                Basic(x, "Note", string.Format(CultureInfo.InvariantCulture, DocumentLabels.For("en")["terms"], days));
                x.WriteEndElement();
            }
            var category = c.Taxes.Count > 0 ? c.Taxes[0] : new TaxSubtotal("S", 0, c.Net, c.Tax);
            if (c.Shipping > 0)
            {
                x.WriteStartElement("cac", "AllowanceCharge", Cac);
                Basic(x, "ChargeIndicator", "true");
                Basic(x, "AllowanceChargeReasonCode", "FC"); // freight (UNCL 7161)
                Basic(x, "AllowanceChargeReason", "Shipping");
                Amount(x, "Amount", c.Shipping, c.Currency);
                TaxCategory(x, "TaxCategory", category.Category, category.RateBasisPoints, withReason: false);
                x.WriteEndElement();
            }
            x.WriteStartElement("cac", "TaxTotal", Cac);
            Amount(x, "TaxAmount", c.Tax, c.Currency);
            foreach (var tax in c.Taxes)
            {
                x.WriteStartElement("cac", "TaxSubtotal", Cac);
                Amount(x, "TaxableAmount", tax.Taxable, c.Currency);
                Amount(x, "TaxAmount", tax.Tax, c.Currency);
                TaxCategory(x, "TaxCategory", tax.Category, tax.RateBasisPoints, withReason: true);
                x.WriteEndElement();
            }
            x.WriteEndElement();
            x.WriteStartElement("cac", "LegalMonetaryTotal", Cac);
            Amount(x, "LineExtensionAmount", c.Lines.Sum(l => l.Net), c.Currency);
            Amount(x, "TaxExclusiveAmount", c.Net, c.Currency);
            Amount(x, "TaxInclusiveAmount", c.Gross, c.Currency);
            if (c.Shipping > 0) Amount(x, "ChargeTotalAmount", c.Shipping, c.Currency);
            if (c.Paid > 0) Amount(x, "PrepaidAmount", c.Paid, c.Currency);
            Amount(x, "PayableAmount", credit ? c.Gross : c.Due, c.Currency);
            x.WriteEndElement();
            var n = 0;
            foreach (var line in c.Lines)
            {
                x.WriteStartElement("cac", credit ? "CreditNoteLine" : "InvoiceLine", Cac);
                Basic(x, "ID", (++n).ToString(CultureInfo.InvariantCulture));
                x.WriteStartElement("cbc", credit ? "CreditedQuantity" : "InvoicedQuantity", Cbc);
                x.WriteAttributeString("unitCode", "C62"); // one (a piece)
                x.WriteString(line.Quantity.ToString(CultureInfo.InvariantCulture));
                x.WriteEndElement();
                Amount(x, "LineExtensionAmount", line.Net, c.Currency);
                x.WriteStartElement("cac", "Item", Cac);
                Basic(x, "Name", line.Name);
                x.WriteStartElement("cac", "SellersItemIdentification", Cac);
                Basic(x, "ID", line.Sku);
                x.WriteEndElement();
                TaxCategory(x, "ClassifiedTaxCategory", line.TaxCategory, line.TaxRateBasisPoints, withReason: false);
                x.WriteEndElement();
                x.WriteStartElement("cac", "Price", Cac);
                Amount(x, "PriceAmount", line.UnitPrice, c.Currency);
                x.WriteEndElement();
                x.WriteEndElement();
            }
            x.WriteEndElement();
        }
        return stream.ToArray();
    }

    private static void Supplier(XmlWriter x, SellerDetails seller)
    {
        x.WriteStartElement("cac", "AccountingSupplierParty", Cac);
        x.WriteStartElement("cac", "Party", Cac);
        var (scheme, endpoint) = seller.PeppolId is { } peppol && peppol.IndexOf(':') is > 0 and var colon
            ? (peppol[..colon], peppol[(colon + 1)..])
            : EndpointOf(seller.VatId, seller.Email ?? seller.Name);
        Endpoint(x, scheme, endpoint);
        x.WriteStartElement("cac", "PartyName", Cac);
        Basic(x, "Name", seller.Name);
        x.WriteEndElement();
        PostalAddress(x, "PostalAddress", seller.Address);
        if (seller.VatId is { } vat) TaxScheme(x, vat);
        x.WriteStartElement("cac", "PartyLegalEntity", Cac);
        Basic(x, "RegistrationName", seller.Name);
        if (seller.CompanyId is { } company) Basic(x, "CompanyID", company);
        x.WriteEndElement();
        if (seller.Phone is not null || seller.Email is not null)
        {
            x.WriteStartElement("cac", "Contact", Cac);
            if (seller.Phone is { } phone) Basic(x, "Telephone", phone);
            if (seller.Email is { } email) Basic(x, "ElectronicMail", email);
            x.WriteEndElement();
        }
        x.WriteEndElement();
        x.WriteEndElement();
    }

    private static void Customer(XmlWriter x, DocumentParty buyer)
    {
        x.WriteStartElement("cac", "AccountingCustomerParty", Cac);
        x.WriteStartElement("cac", "Party", Cac);
        var (scheme, endpoint) = EndpointOf(buyer.VatId, buyer.Email ?? buyer.Name);
        Endpoint(x, scheme, endpoint);
        if (buyer.Company is { } company)
        {
            x.WriteStartElement("cac", "PartyName", Cac);
            Basic(x, "Name", company);
            x.WriteEndElement();
        }
        if (buyer.Address is { } address) PostalAddress(x, "PostalAddress", address);
        if (buyer.VatId is { } vat) TaxScheme(x, vat);
        x.WriteStartElement("cac", "PartyLegalEntity", Cac);
        Basic(x, "RegistrationName", buyer.Company ?? buyer.Name);
        x.WriteEndElement();
        if (buyer.Email is not null || buyer.Phone is not null)
        {
            x.WriteStartElement("cac", "Contact", Cac);
            Basic(x, "Name", buyer.Name);
            if (buyer.Phone is { } phone) Basic(x, "Telephone", phone);
            if (buyer.Email is { } email) Basic(x, "ElectronicMail", email);
            x.WriteEndElement();
        }
        x.WriteEndElement();
        x.WriteEndElement();
    }

    /// <summary>A party's electronic address: its VAT number under its country's scheme when there is one, else its e-mail (scheme EM).</summary>
    private static (string Scheme, string Id) EndpointOf(string? vatId, string fallback) =>
        vatId is { Length: > 2 } vat && VatSchemes.TryGetValue(Vat.CountryOf(vat), out var scheme) ? (scheme, vat) : ("EM", fallback);

    private static void Endpoint(XmlWriter x, string scheme, string id)
    {
        x.WriteStartElement("cbc", "EndpointID", Cbc);
        x.WriteAttributeString("schemeID", scheme);
        x.WriteString(id);
        x.WriteEndElement();
    }

    private static void TaxScheme(XmlWriter x, string vatId)
    {
        x.WriteStartElement("cac", "PartyTaxScheme", Cac);
        Basic(x, "CompanyID", vatId);
        x.WriteStartElement("cac", "TaxScheme", Cac);
        Basic(x, "ID", "VAT");
        x.WriteEndElement();
        x.WriteEndElement();
    }

    private static void PostalAddress(XmlWriter x, string element, Address a)
    {
        x.WriteStartElement("cac", element, Cac);
        Basic(x, "StreetName", a.Line1);
        if (a.Line2 is { } line2) Basic(x, "AdditionalStreetName", line2);
        Basic(x, "CityName", a.City);
        if (a.PostalCode is { } zip) Basic(x, "PostalZone", zip);
        if (a.Region is { } region) Basic(x, "CountrySubentity", region);
        x.WriteStartElement("cac", "Country", Cac);
        Basic(x, "IdentificationCode", a.Country);
        x.WriteEndElement();
        x.WriteEndElement();
    }

    private static void TaxCategory(XmlWriter x, string element, string category, int rateBasisPoints, bool withReason)
    {
        x.WriteStartElement("cac", element, Cac);
        Basic(x, "ID", category);
        Basic(x, "Percent", (rateBasisPoints / 100m).ToString("0.##", CultureInfo.InvariantCulture));
        if (withReason && category is "AE" or "G" or "K" or "E")
        {
            Basic(x, "TaxExemptionReasonCode", "VATEX-EU-" + category);
            Basic(x, "TaxExemptionReason", category switch { "AE" => "Reverse charge", "G" => "Export outside the EU", "K" => "Intra-community supply", _ => "Exempt" });
        }
        x.WriteStartElement("cac", "TaxScheme", Cac);
        Basic(x, "ID", "VAT");
        x.WriteEndElement();
        x.WriteEndElement();
    }

    private static void Amount(XmlWriter x, string element, long amount, string currency)
    {
        x.WriteStartElement("cbc", element, Cbc);
        x.WriteAttributeString("currencyID", currency);
        x.WriteString(Currencies.Format(amount, currency));
        x.WriteEndElement();
    }

    private static void Basic(XmlWriter x, string element, string value) => x.WriteElementString("cbc", element, Cbc, value);

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
