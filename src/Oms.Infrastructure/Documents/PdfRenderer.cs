using System.Globalization;
using Oms.Domain.Common;
using Oms.Domain.Documents;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace Oms.Infrastructure.Documents;

/// <summary>
/// A document as an A4 PDF (PDFsharp), from what it showed when issued: header with number and dates, seller, buyer
/// and ship-to, the lines (a table that continues on further pages), the VAT breakdown, totals, terms and notes.
/// The fonts (DejaVu Sans) travel inside the assembly: a server without fonts renders the same file.
/// </summary>
public static class PdfRenderer
{
    private const string Family = "DejaVu Sans";
    private static readonly XSize A4 = new(595.28, 841.89);
    private const double Margin = 48;
    private static readonly XColor Grey = XColor.FromArgb(100, 100, 100);
    private static readonly object FontsOnce = new();
    private static bool _fontsSet;

    public static byte[] Render(Document document)
    {
        EnsureFonts();
        var c = document.Content;
        var t = DocumentLabels.For(c.Locale);
        using var pdf = new PdfDocument();
        pdf.Info.Title = $"{t.Title(document.Kind)} {document.Number ?? c.ReturnNumber ?? c.OrderNumber}";
        pdf.Info.Author = c.Seller.Name;
        pdf.Info.Creator = "HeadlessOms";
        var writer = new PageWriter(pdf);

        // Header: title, number, dates.
        writer.Text(t.Title(document.Kind), Font(18, bold: true), Margin, at: 0);
        if (document.Status == DocumentStatus.Voided) writer.Text(t["voided"], Font(18, bold: true), A4.Width - Margin - 140, at: 0, XBrushes.Firebrick);
        writer.Down(30);
        var facts = t.Facts(document);
        foreach (var (label, value) in facts)
        {
            writer.Text(label, Font(9), Margin, at: 0, new XSolidBrush(Grey));
            writer.Text(value, Font(9, bold: true), Margin + 110, at: 0);
            writer.Down(13);
        }
        writer.Down(12);

        // Parties side by side.
        var columns = t.Parties(document);
        var width = (A4.Width - 2 * Margin) / columns.Count;
        var tallest = 0;
        for (var i = 0; i < columns.Count; i++)
        {
            var x = Margin + i * width;
            writer.Text(columns[i].Title, Font(8, bold: true), x, at: 0, new XSolidBrush(Grey));
            for (var j = 0; j < columns[i].Lines.Count; j++) writer.Text(columns[i].Lines[j], Font(9), x, at: 12 + j * 12, maxWidth: width - 8);
            tallest = Math.Max(tallest, columns[i].Lines.Count);
        }
        writer.Down(24 + tallest * 12);
        if (document.Kind == DocumentKind.ReturnSlip)
        {
            foreach (var line in Wrap(t["return_instructions"], Font(9), A4.Width - 2 * Margin)) { writer.Text(line, Font(9), Margin, at: 0); writer.Down(12); }
            writer.Down(8);
        }

        // Lines.
        var priced = document.IsNumbered;
        var cols = priced
            ? new[] { (t["sku"], 0.0, false), (t["item"], 80.0, false), (t["qty"], 300.0, true), (t["unit_price"], 375.0, true), (t["tax_rate"], 420.0, true), (t["amount"], A4.Width - 2 * Margin, true) }
            : document.Kind == DocumentKind.ReturnSlip
                ? new[] { (t["sku"], 0.0, false), (t["item"], 100.0, false), (t["qty"], 360.0, true), (t["why"], 380.0, false) }
                : new[] { (t["sku"], 0.0, false), (t["item"], 100.0, false), (t["qty"], A4.Width - 2 * Margin, true) };
        void Head()
        {
            foreach (var (title, x, right) in cols) writer.Cell(title, Font(8, bold: true), Margin + x, right);
            writer.Down(13);
            writer.Rule();
            writer.Down(6);
        }
        Head();
        foreach (var line in c.Lines)
        {
            if (writer.NeedsPage(16)) { writer.NewPage(); Head(); }
            writer.Cell(line.Sku, Font(8), Margin + cols[0].Item2, false, maxWidth: cols[1].Item2 - cols[0].Item2 - 6);
            writer.Cell(line.Name, Font(9), Margin + cols[1].Item2, false, maxWidth: (priced ? 300 - 45 : 360 - 40) - cols[1].Item2);
            writer.Cell(line.Quantity.ToString(CultureInfo.InvariantCulture), Font(9), Margin + cols[2].Item2, true);
            if (priced)
            {
                writer.Cell(t.Money(line.UnitPrice, c.Currency), Font(9), Margin + cols[3].Item2, true);
                writer.Cell(t.Rate(line.TaxRateBasisPoints), Font(9), Margin + cols[4].Item2, true);
                writer.Cell(t.Money(line.Net, c.Currency), Font(9), Margin + cols[5].Item2, true);
            }
            else if (document.Kind == DocumentKind.ReturnSlip && line.Note is { } why) writer.Cell(why.Replace('_', ' '), Font(9), Margin + cols[3].Item2, false);
            writer.Down(15);
        }
        writer.Rule();
        writer.Down(10);

        if (priced)
        {
            var right = A4.Width - Margin;
            void Total(string label, string value, bool bold = false)
            {
                if (writer.NeedsPage(16)) writer.NewPage();
                writer.Cell(label, Font(9, bold), right - 130, true);
                writer.Cell(value, Font(9, bold), right, true);
                writer.Down(14);
            }
            if (c.Shipping > 0) Total(t["shipping"], t.Money(c.Shipping, c.Currency));
            Total(t["net"], t.Money(c.Net, c.Currency));
            foreach (var tax in c.Taxes)
                Total($"{t["tax"]} {t.Rate(tax.RateBasisPoints)} ({tax.Category}) · {t["taxable"]} {t.Money(tax.Taxable, c.Currency)}", t.Money(tax.Tax, c.Currency));
            Total(t["gross"], t.Money(c.Gross, c.Currency), bold: true);
            if (document.Kind == DocumentKind.Invoice && c.Paid > 0) Total(t["paid"], t.Money(c.Paid, c.Currency));
            if (document.Kind == DocumentKind.Invoice) Total(t["due"], t.Money(c.Due, c.Currency), bold: true);
            writer.Down(8);
            var notes = t.Notes(document);
            foreach (var note in notes)
                foreach (var line in Wrap(note, Font(8.5), A4.Width - 2 * Margin))
                {
                    if (writer.NeedsPage(14)) writer.NewPage();
                    writer.Text(line, Font(8.5), Margin, at: 0);
                    writer.Down(12);
                }
        }
        else if (c.Packages.Count > 0)
        {
            writer.Text(t["packages"], Font(9, bold: true), Margin, at: 0);
            writer.Down(13);
            foreach (var package in c.Packages) { writer.Text(package, Font(9), Margin, at: 0); writer.Down(12); }
        }

        writer.Footer(c.Seller, t);
        using var stream = new MemoryStream();
        pdf.Save(stream, closeStream: false);
        return stream.ToArray();
    }

    private static XFont Font(double size, bool bold = false) => new(Family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular);

    private static IEnumerable<string> Wrap(string text, XFont font, double width)
    {
        using var measure = XGraphics.CreateMeasureContext(A4, XGraphicsUnit.Point, XPageDirection.Downwards);
        var line = "";
        foreach (var word in text.Split(' '))
        {
            var next = line.Length == 0 ? word : line + " " + word;
            if (line.Length > 0 && measure.MeasureString(next, font).Width > width) { yield return line; line = word; }
            else line = next;
        }
        if (line.Length > 0) yield return line;
    }

    private static void EnsureFonts()
    {
        if (_fontsSet) return;
        lock (FontsOnce)
        {
            if (_fontsSet) return;
            // A process-wide setting of PDFsharp's; only this renderer uses PDFsharp, and it sets it once.
            GlobalFontSettings.FontResolver ??= new EmbeddedFonts();
            _fontsSet = true;
        }
    }

    /// <summary>DejaVu Sans and DejaVu Sans Bold, embedded in this assembly (licence in Documents/Fonts).</summary>
    private sealed class EmbeddedFonts : IFontResolver
    {
        private static readonly Lazy<byte[]> Regular = new(() => Load("DejaVuSans.ttf"));
        private static readonly Lazy<byte[]> Bold = new(() => Load("DejaVuSans-Bold.ttf"));

        public FontResolverInfo? ResolveTypeface(string familyName, bool isBold, bool isItalic) =>
            new(isBold ? "DejaVuSans-Bold" : "DejaVuSans", mustSimulateBold: false, mustSimulateItalic: isItalic);

        public byte[]? GetFont(string faceName) => faceName == "DejaVuSans-Bold" ? Bold.Value : Regular.Value;

        private static byte[] Load(string file)
        {
            using var stream = typeof(PdfRenderer).Assembly.GetManifestResourceStream("Oms.Infrastructure.Documents.Fonts." + file)
                               ?? throw new InvalidOperationException($"The font {file} is not embedded.");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }
    }

    /// <summary>Writes down a page, top to bottom, and starts the next page when the current one is full.</summary>
    private sealed class PageWriter
    {
        private readonly PdfDocument _pdf;
        private readonly List<XGraphics> _pages = [];
        private XGraphics _g = null!;
        private double _y;

        public PageWriter(PdfDocument pdf)
        {
            _pdf = pdf;
            NewPage();
        }

        public void NewPage()
        {
            var page = _pdf.AddPage();
            page.Width = XUnit.FromPoint(A4.Width);
            page.Height = XUnit.FromPoint(A4.Height);
            _g = XGraphics.FromPdfPage(page);
            _pages.Add(_g);
            _y = Margin;
        }

        public bool NeedsPage(double height) => _y + height > A4.Height - Margin - 40;

        public void Down(double points) => _y += points;

        public void Text(string text, XFont font, double x, double at, XBrush? brush = null, double maxWidth = 0)
        {
            if (maxWidth > 0) text = Fit(text, font, maxWidth);
            _g.DrawString(text, font, brush ?? XBrushes.Black, new XPoint(x, _y + at + font.Size), XStringFormats.Default);
        }

        public void Cell(string text, XFont font, double x, bool right, double maxWidth = 0)
        {
            if (maxWidth > 0) text = Fit(text, font, maxWidth);
            var left = right ? x - _g.MeasureString(text, font).Width : x;
            _g.DrawString(text, font, XBrushes.Black, new XPoint(left, _y + font.Size), XStringFormats.Default);
        }

        public void Rule() => _g.DrawLine(new XPen(XColor.FromArgb(180, 180, 180), 0.6), Margin, _y, A4.Width - Margin, _y);

        /// <summary>The seller's contact and bank on every page, and the page count.</summary>
        public void Footer(SellerDetails seller, DocumentLabels t)
        {
            var line = DocumentLabels.Footer(seller);
            var font = new XFont(Family, 7.5, XFontStyleEx.Regular);
            for (var i = 0; i < _pages.Count; i++)
            {
                var g = _pages[i];
                g.DrawString(Fit(line, font, A4.Width - 2 * Margin - 70), font, new XSolidBrush(Grey), new XPoint(Margin, A4.Height - Margin + 10), XStringFormats.Default);
                var page = string.Format(CultureInfo.InvariantCulture, t["page"], i + 1, _pages.Count);
                g.DrawString(page, font, new XSolidBrush(Grey), new XPoint(A4.Width - Margin - g.MeasureString(page, font).Width, A4.Height - Margin + 10), XStringFormats.Default);
                g.Dispose();
            }
        }

        private string Fit(string text, XFont font, double width)
        {
            if (_g.MeasureString(text, font).Width <= width) return text;
            while (text.Length > 1 && _g.MeasureString(text + "…", font).Width > width) text = text[..^1];
            return text + "…";
        }
    }
}
