using System.Globalization;
using System.Net;
using System.Text;
using Oms.Domain.Common;
using Oms.Domain.Documents;

namespace Oms.Infrastructure.Documents;

/// <summary>A document as a printable HTML page (A4 print styles): the same content and words as its PDF, for a preview in a browser.</summary>
public static class HtmlRenderer
{
    public static string Render(Document document)
    {
        var c = document.Content;
        var t = DocumentLabels.For(c.Locale);
        var title = $"{t.Title(document.Kind)} {document.Number ?? c.ReturnNumber ?? c.OrderNumber}";
        var h = new StringBuilder(4096);
        h.Append("<!doctype html><html lang=\"").Append(t.Locale).Append("\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title>")
         .Append("<style>@page{size:A4;margin:16mm}body{font:13px/1.4 'DejaVu Sans',Arial,sans-serif;color:#222;max-width:800px;margin:2em auto}")
         .Append("h1{font-size:24px;margin:0 0 .5em}.void{color:#b22222}dl{display:grid;grid-template-columns:9em auto;gap:2px 1em;margin:0 0 1.5em}dt{color:#666}dd{margin:0;font-weight:bold}")
         .Append(".parties{display:flex;gap:2em;margin-bottom:1.5em}.parties div{flex:1}.parties h2{font-size:11px;color:#666;text-transform:uppercase;margin:0 0 .3em}")
         .Append("table{width:100%;border-collapse:collapse}th,td{padding:4px 6px;border-bottom:1px solid #ddd;text-align:left}th{font-size:11px;color:#666}.n{text-align:right}")
         .Append(".totals{margin-left:auto;width:auto;margin-top:1em}.totals td{border:0}.strong td{font-weight:bold}.notes{margin-top:1.5em;font-size:12px}footer{margin-top:2em;color:#666;font-size:11px}</style></head><body>");
        h.Append("<h1>").Append(E(t.Title(document.Kind)));
        if (document.Status == DocumentStatus.Voided) h.Append(" <span class=\"void\">").Append(E(t["voided"])).Append("</span>");
        h.Append("</h1><dl>");
        foreach (var (label, value) in t.Facts(document)) h.Append("<dt>").Append(E(label)).Append("</dt><dd>").Append(E(value)).Append("</dd>");
        h.Append("</dl><div class=\"parties\">");
        foreach (var (heading, lines) in t.Parties(document)) Party(h, heading, lines);
        h.Append("</div>");
        if (document.Kind == DocumentKind.ReturnSlip) h.Append("<p>").Append(E(t["return_instructions"])).Append("</p>");
        var priced = document.IsNumbered;
        h.Append("<table><thead><tr><th>").Append(E(t["sku"])).Append("</th><th>").Append(E(t["item"])).Append("</th><th class=\"n\">").Append(E(t["qty"])).Append("</th>");
        if (priced) h.Append("<th class=\"n\">").Append(E(t["unit_price"])).Append("</th><th class=\"n\">").Append(E(t["tax_rate"])).Append("</th><th class=\"n\">").Append(E(t["amount"])).Append("</th>");
        else if (document.Kind == DocumentKind.ReturnSlip) h.Append("<th>").Append(E(t["why"])).Append("</th>");
        h.Append("</tr></thead><tbody>");
        foreach (var line in c.Lines)
        {
            h.Append("<tr><td>").Append(E(line.Sku)).Append("</td><td>").Append(E(line.Name)).Append("</td><td class=\"n\">").Append(line.Quantity.ToString(CultureInfo.InvariantCulture)).Append("</td>");
            if (priced)
                h.Append("<td class=\"n\">").Append(E(t.Money(line.UnitPrice, c.Currency))).Append("</td><td class=\"n\">").Append(E(t.Rate(line.TaxRateBasisPoints)))
                 .Append("</td><td class=\"n\">").Append(E(t.Money(line.Net, c.Currency))).Append("</td>");
            else if (document.Kind == DocumentKind.ReturnSlip) h.Append("<td>").Append(E(line.Note?.Replace('_', ' ') ?? "")).Append("</td>");
            h.Append("</tr>");
        }
        h.Append("</tbody></table>");
        if (priced)
        {
            h.Append("<table class=\"totals\">");
            void Total(string label, long amount, bool strong = false) =>
                h.Append(strong ? "<tr class=\"strong\">" : "<tr>").Append("<td>").Append(E(label)).Append("</td><td class=\"n\">").Append(E(t.Money(amount, c.Currency))).Append("</td></tr>");
            if (c.Shipping > 0) Total(t["shipping"], c.Shipping);
            Total(t["net"], c.Net);
            foreach (var tax in c.Taxes) Total($"{t["tax"]} {t.Rate(tax.RateBasisPoints)} ({tax.Category}) · {t["taxable"]} {t.Money(tax.Taxable, c.Currency)}", tax.Tax);
            Total(t["gross"], c.Gross, strong: true);
            if (document.Kind == DocumentKind.Invoice && c.Paid > 0) Total(t["paid"], c.Paid);
            if (document.Kind == DocumentKind.Invoice) Total(t["due"], c.Due, strong: true);
            h.Append("</table><div class=\"notes\">");
            foreach (var note in t.Notes(document)) h.Append("<p>").Append(E(note)).Append("</p>");
            h.Append("</div>");
        }
        else if (c.Packages.Count > 0)
        {
            h.Append("<h2>").Append(E(t["packages"])).Append("</h2><ul>");
            foreach (var package in c.Packages) h.Append("<li>").Append(E(package)).Append("</li>");
            h.Append("</ul>");
        }
        h.Append("<footer>").Append(E(DocumentLabels.Footer(c.Seller)))
         .Append("</footer></body></html>");
        return h.ToString();
    }

    private static void Party(StringBuilder h, string title, IEnumerable<string> lines)
    {
        h.Append("<div><h2>").Append(E(title)).Append("</h2>");
        foreach (var line in lines) h.Append(E(line)).Append("<br>");
        h.Append("</div>");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
