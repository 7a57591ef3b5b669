using System.Globalization;
using Oms.Domain.Common;
using Oms.Domain.Documents;

namespace Oms.Infrastructure.Documents;

/// <summary>
/// The words and formats a document is printed with, in its locale (en, nl, de, fr; anything else prints in English):
/// titles, column heads, the reverse-charge note, dates and amounts as people of that language write them.
/// </summary>
public sealed class DocumentLabels
{
    public static readonly IReadOnlyList<string> Supported = ["en", "nl", "de", "fr"];

    private static readonly Dictionary<string, Dictionary<string, string>> Words = new(StringComparer.Ordinal)
    {
        ["en"] = new()
        {
            ["invoice"] = "Invoice", ["credit_note"] = "Credit note", ["packing_slip"] = "Packing slip", ["return_slip"] = "Return slip",
            ["number"] = "Number", ["date"] = "Date", ["supply_date"] = "Date of supply", ["order"] = "Order", ["due_date"] = "Due date",
            ["seller"] = "From", ["buyer"] = "Bill to", ["ship_to"] = "Ship to", ["vat_id"] = "VAT ID", ["company_id"] = "Company no.",
            ["sku"] = "SKU", ["item"] = "Item", ["qty"] = "Qty", ["unit_price"] = "Unit price", ["tax_rate"] = "VAT", ["amount"] = "Amount",
            ["shipping"] = "Shipping", ["net"] = "Total excl. VAT", ["tax"] = "VAT", ["gross"] = "Total", ["paid"] = "Paid", ["due"] = "Amount due",
            ["taxable"] = "Taxable amount", ["terms"] = "Payment terms: {0} days", ["bank"] = "Bank", ["reverse_charge"] = "VAT reverse charged: the buyer accounts for the VAT (Article 196, Directive 2006/112/EC).",
            ["export"] = "Export outside the EU: exempt from VAT (Article 146, Directive 2006/112/EC).",
            ["corrects"] = "Corrects invoice",  ["reason"] = "Reason", ["return_number"] = "Return", ["send_to"] = "Send the goods to",
            ["return_instructions"] = "Pack the items below with this slip and send them to the address shown. Keep the carrier's receipt.",
            ["node"] = "Shipped from", ["packages"] = "Packages", ["why"] = "Reason", ["voided"] = "VOID", ["paid_in_full"] = "Paid in full. Thank you.",
            ["page"] = "Page {0} of {1}", ["refund"] = "Refund", ["voided_rest"] = "Invoice voided: the part not refunded",
        },
        ["nl"] = new()
        {
            ["invoice"] = "Factuur", ["credit_note"] = "Creditnota", ["packing_slip"] = "Pakbon", ["return_slip"] = "Retourbon",
            ["number"] = "Nummer", ["date"] = "Datum", ["supply_date"] = "Leveringsdatum", ["order"] = "Bestelling", ["due_date"] = "Vervaldatum",
            ["seller"] = "Van", ["buyer"] = "Factuuradres", ["ship_to"] = "Leveradres", ["vat_id"] = "Btw-nummer", ["company_id"] = "Ondernemingsnr.",
            ["sku"] = "Artikelnr.", ["item"] = "Omschrijving", ["qty"] = "Aantal", ["unit_price"] = "Prijs per stuk", ["tax_rate"] = "Btw", ["amount"] = "Bedrag",
            ["shipping"] = "Verzending", ["net"] = "Totaal excl. btw", ["tax"] = "Btw", ["gross"] = "Totaal", ["paid"] = "Betaald", ["due"] = "Te betalen",
            ["taxable"] = "Maatstaf van heffing", ["terms"] = "Betalingstermijn: {0} dagen", ["bank"] = "Bank", ["reverse_charge"] = "Btw verlegd: de afnemer voldoet de btw (artikel 196, Richtlijn 2006/112/EG).",
            ["export"] = "Uitvoer buiten de EU: vrijgesteld van btw (artikel 146, Richtlijn 2006/112/EG).",
            ["corrects"] = "Corrigeert factuur",  ["reason"] = "Reden", ["return_number"] = "Retour", ["send_to"] = "Stuur de goederen naar",
            ["return_instructions"] = "Verpak de artikelen hieronder met deze bon en stuur ze naar het getoonde adres. Bewaar het verzendbewijs.",
            ["node"] = "Verzonden vanuit", ["packages"] = "Pakketten", ["why"] = "Reden", ["voided"] = "GEANNULEERD", ["paid_in_full"] = "Volledig betaald. Dank u.",
            ["page"] = "Pagina {0} van {1}", ["refund"] = "Terugbetaling", ["voided_rest"] = "Factuur geannuleerd: het niet terugbetaalde deel",
        },
        ["de"] = new()
        {
            ["invoice"] = "Rechnung", ["credit_note"] = "Gutschrift", ["packing_slip"] = "Lieferschein", ["return_slip"] = "Rücksendeschein",
            ["number"] = "Nummer", ["date"] = "Datum", ["supply_date"] = "Lieferdatum", ["order"] = "Bestellung", ["due_date"] = "Fällig am",
            ["seller"] = "Von", ["buyer"] = "Rechnungsadresse", ["ship_to"] = "Lieferadresse", ["vat_id"] = "USt-IdNr.", ["company_id"] = "Handelsregister",
            ["sku"] = "Art.-Nr.", ["item"] = "Bezeichnung", ["qty"] = "Menge", ["unit_price"] = "Einzelpreis", ["tax_rate"] = "USt", ["amount"] = "Betrag",
            ["shipping"] = "Versand", ["net"] = "Summe netto", ["tax"] = "USt", ["gross"] = "Gesamtbetrag", ["paid"] = "Bezahlt", ["due"] = "Offener Betrag",
            ["taxable"] = "Bemessungsgrundlage", ["terms"] = "Zahlungsziel: {0} Tage", ["bank"] = "Bank", ["reverse_charge"] = "Steuerschuldnerschaft des Leistungsempfängers (Artikel 196, Richtlinie 2006/112/EG).",
            ["export"] = "Ausfuhr außerhalb der EU: steuerfrei (Artikel 146, Richtlinie 2006/112/EG).",
            ["corrects"] = "Korrigiert Rechnung",  ["reason"] = "Grund", ["return_number"] = "Rücksendung", ["send_to"] = "Senden Sie die Ware an",
            ["return_instructions"] = "Verpacken Sie die unten stehenden Artikel mit diesem Schein und senden Sie sie an die angegebene Adresse. Bewahren Sie den Einlieferungsbeleg auf.",
            ["node"] = "Versendet von", ["packages"] = "Pakete", ["why"] = "Grund", ["voided"] = "STORNIERT", ["paid_in_full"] = "Vollständig bezahlt. Vielen Dank.",
            ["page"] = "Seite {0} von {1}", ["refund"] = "Erstattung", ["voided_rest"] = "Rechnung storniert: der nicht erstattete Teil",
        },
        ["fr"] = new()
        {
            ["invoice"] = "Facture", ["credit_note"] = "Note de crédit", ["packing_slip"] = "Bon de livraison", ["return_slip"] = "Bon de retour",
            ["number"] = "Numéro", ["date"] = "Date", ["supply_date"] = "Date de livraison", ["order"] = "Commande", ["due_date"] = "Échéance",
            ["seller"] = "De", ["buyer"] = "Facturer à", ["ship_to"] = "Livrer à", ["vat_id"] = "N° TVA", ["company_id"] = "N° d'entreprise",
            ["sku"] = "Réf.", ["item"] = "Article", ["qty"] = "Qté", ["unit_price"] = "Prix unitaire", ["tax_rate"] = "TVA", ["amount"] = "Montant",
            ["shipping"] = "Livraison", ["net"] = "Total HT", ["tax"] = "TVA", ["gross"] = "Total TTC", ["paid"] = "Payé", ["due"] = "Reste à payer",
            ["taxable"] = "Base imposable", ["terms"] = "Conditions de paiement : {0} jours", ["bank"] = "Banque", ["reverse_charge"] = "Autoliquidation : TVA due par le preneur (article 196, directive 2006/112/CE).",
            ["export"] = "Exportation hors de l'UE : exonération de TVA (article 146, directive 2006/112/CE).",
            ["corrects"] = "Rectifie la facture",  ["reason"] = "Motif", ["return_number"] = "Retour", ["send_to"] = "Envoyez les articles à",
            ["return_instructions"] = "Emballez les articles ci-dessous avec ce bon et envoyez-les à l'adresse indiquée. Conservez le reçu du transporteur.",
            ["node"] = "Expédié depuis", ["packages"] = "Colis", ["why"] = "Motif", ["voided"] = "ANNULÉE", ["paid_in_full"] = "Payée intégralement. Merci.",
            ["page"] = "Page {0} sur {1}", ["refund"] = "Remboursement", ["voided_rest"] = "Facture annulée : la part non remboursée",
        },
    };

    private readonly Dictionary<string, string> _words;

    private DocumentLabels(string locale)
    {
        Locale = locale;
        _words = Words[locale];
        // The API runs with invariant globalization (no ICU): each language's separators and date order are written here.
        (Numbers, _datePattern) = locale switch
        {
            "nl" => (Format(",", "."), "dd-MM-yyyy"),
            "de" => (Format(",", "."), "dd.MM.yyyy"),
            "fr" => (Format(",", "\u202F"), "dd/MM/yyyy"),
            _ => (Format(".", ","), "dd/MM/yyyy"),
        };
    }

    private readonly string _datePattern;

    private static NumberFormatInfo Format(string decimals, string groups) => new() { NumberDecimalSeparator = decimals, NumberGroupSeparator = groups };

    public string Locale { get; }
    public NumberFormatInfo Numbers { get; }

    /// <summary>The labels of a locale (<c>nl-BE</c> prints in Dutch); English when it is none of the supported ones.</summary>
    public static DocumentLabels For(string? locale) => new(Normalize(locale) ?? "en");

    /// <summary>The supported language of a locale tag (<c>de-AT</c> is <c>de</c>), or null.</summary>
    public static string? Normalize(string? locale)
    {
        if (string.IsNullOrWhiteSpace(locale)) return null;
        var language = locale.Split('-', '_')[0].ToLowerInvariant();
        return Supported.Contains(language) ? language : null;
    }

    public string this[string key] => _words[key];

    public string Title(DocumentKind kind) => _words[Names.Of(kind)];

    public string Date(DateTimeOffset at) => Date(DateOnly.FromDateTime(at.UtcDateTime));

    public string Date(DateOnly day) => day.ToString(_datePattern, CultureInfo.InvariantCulture);

    /// <summary>An amount with its currency as people of the locale write it (1.234,56 EUR in Dutch).</summary>
    public string Money(long amount, string currency) =>
        Currencies.ToMajor(amount, currency).ToString("N" + Currencies.MinorUnits(currency), Numbers) + " " + currency;

    public string Rate(int basisPoints) => (basisPoints / 100m).ToString("0.##", Numbers) + " %";

    /// <summary>An address as printed: name, company, street lines, postal code and city, country.</summary>
    public static IReadOnlyList<string> AddressLines(Address a) =>
    [
        a.Name, .. a.Company is { } company ? [company] : Array.Empty<string>(), a.Line1, .. a.Line2 is { } l2 ? [l2] : Array.Empty<string>(),
        string.Join(" ", new[] { a.PostalCode, a.City }.Where(p => !string.IsNullOrEmpty(p))) + (a.Region is { } r ? ", " + r : ""), a.Country,
    ];

    /// <summary>The facts in a document's header, as printed: number, dates, order, return, due date, the invoice it corrects, the node.</summary>
    public IReadOnlyList<(string Label, string Value)> Facts(Document document)
    {
        var c = document.Content;
        var facts = new List<(string, string)>();
        if (document.Number is { } number) facts.Add((this["number"], number));
        if (document.IssuedAt is { } issued) facts.Add((this["date"], Date(issued)));
        if (c.SupplyDate is { } supplied && document.IsNumbered) facts.Add((this["supply_date"], Date(supplied)));
        facts.Add((this["order"], c.OrderNumber + (c.ChannelOrderRef is { } channelRef ? $" ({channelRef})" : "")));
        if (c.ReturnNumber is { } returnNumber) facts.Add((this["return_number"], returnNumber));
        if (c.DueDate is { } due && c.Due > 0) facts.Add((this["due_date"], Date(due)));
        if (c.CorrectsNumber is { } corrects) facts.Add((this["corrects"], corrects + (c.CorrectsIssuedAt is { } at ? $" ({Date(at)})" : "")));
        if (c.NodeCode is { } node) facts.Add((this["node"], node));
        return facts;
    }

    /// <summary>The notes under an invoice's or credit note's totals: reverse charge, export, why, payment terms and how to pay, or paid in full.</summary>
    public IReadOnlyList<string> Notes(Document document)
    {
        var c = document.Content;
        var notes = new List<string>();
        if (c.ReverseCharge) notes.Add(this["reverse_charge"]);
        if (c.Taxes.Any(x => x.Category == "G")) notes.Add(this["export"]);
        if (c.Reason is { } reason) notes.Add($"{this["reason"]}: {reason}");
        if (document.Kind != DocumentKind.Invoice) return notes;
        if (c.Due == 0) notes.Add(this["paid_in_full"]);
        else
        {
            if (c.PaymentTermsDays is { } days) notes.Add(string.Format(CultureInfo.InvariantCulture, this["terms"], days));
            if (c.Seller.Iban is { } iban) notes.Add($"{this["bank"]}: {c.Seller.Bank} IBAN {iban}{(c.Seller.Bic is { } bic ? " · BIC " + bic : "")} · {document.Number}");
        }
        return notes;
    }

    /// <summary>The seller's contact and bank, printed at the foot of every page.</summary>
    public static string Footer(SellerDetails seller) =>
        string.Join(" · ", new[] { seller.Name, seller.Email, seller.Phone, seller.Iban is { } iban ? "IBAN " + iban : null }.Where(p => !string.IsNullOrEmpty(p)));

    /// <summary>The parties side by side: the seller, then the buyer (a return slip: where the goods go), then the ship-to.</summary>
    public IReadOnlyList<(string Title, IReadOnlyList<string> Lines)> Parties(Document document)
    {
        var c = document.Content;
        IReadOnlyList<string> seller =
        [
            c.Seller.Name, .. AddressLines(c.Seller.Address).Skip(1),
            .. c.Seller.VatId is { } vat ? [$"{this["vat_id"]} {vat}"] : Array.Empty<string>(),
            .. c.Seller.CompanyId is { } company ? [$"{this["company_id"]} {company}"] : Array.Empty<string>(),
        ];
        var columns = new List<(string, IReadOnlyList<string>)> { (this["seller"], seller) };
        if (document.Kind == DocumentKind.ReturnSlip && c.ReturnTo is { } returnTo) columns.Add((this["send_to"], AddressLines(returnTo)));
        else
            columns.Add((this["buyer"], [
                .. c.Buyer.Address is { } a ? AddressLines(a) : [c.Buyer.Name],
                .. c.Buyer.VatId is { } buyerVat ? [$"{this["vat_id"]} {buyerVat}"] : Array.Empty<string>(),
                .. c.Buyer.Email is { } email ? [email] : Array.Empty<string>(),
            ]));
        if (c.ShipTo is { } shipTo && document.Kind != DocumentKind.ReturnSlip) columns.Add((this["ship_to"], AddressLines(shipTo)));
        return columns;
    }
}
