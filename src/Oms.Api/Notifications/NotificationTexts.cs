using Oms.Domain.Notifications;

namespace Oms.Api.Notifications;

/// <summary>
/// The words of the built-in e-mails per locale (en, nl, de, fr): each kind's subject and opening line (Liquid, with
/// the same model as the templates), and the labels the layout uses. A locale not here falls back to English.
/// </summary>
public static class NotificationTexts
{
    public static readonly IReadOnlyList<string> Locales = ["en", "nl", "de", "fr"];

    public sealed record KindText(string Subject, string Intro);

    public static string LocaleOf(string? wanted) =>
        wanted is { Length: >= 2 } && Locales.Contains(wanted[..2].ToLowerInvariant()) ? wanted[..2].ToLowerInvariant() : "en";

    public static KindText For(NotificationKind kind, string locale) => Kinds[LocaleOf(locale)][kind];

    public static IReadOnlyDictionary<string, string> Labels(string locale) => LabelTexts[LocaleOf(locale)];

    private static readonly Dictionary<string, Dictionary<string, string>> LabelTexts = new()
    {
        ["en"] = new()
        {
            ["greeting"] = "Hello {{ customer.name }},", ["order"] = "Order", ["item"] = "Item", ["quantity"] = "Qty", ["total"] = "Total",
            ["carrier"] = "Carrier", ["tracking"] = "Tracking number", ["track"] = "Track your parcel", ["feedback"] = "Tell us how it went",
            ["footer"] = "Questions? Just reply to this e-mail.", ["ship_to"] = "Shipping to",
        },
        ["nl"] = new()
        {
            ["greeting"] = "Beste {{ customer.name }},", ["order"] = "Bestelling", ["item"] = "Artikel", ["quantity"] = "Aantal", ["total"] = "Totaal",
            ["carrier"] = "Vervoerder", ["tracking"] = "Trackingnummer", ["track"] = "Volg je pakket", ["feedback"] = "Laat ons weten hoe het ging",
            ["footer"] = "Vragen? Beantwoord gewoon deze e-mail.", ["ship_to"] = "Verzenden naar",
        },
        ["de"] = new()
        {
            ["greeting"] = "Hallo {{ customer.name }},", ["order"] = "Bestellung", ["item"] = "Artikel", ["quantity"] = "Menge", ["total"] = "Summe",
            ["carrier"] = "Versanddienst", ["tracking"] = "Sendungsnummer", ["track"] = "Sendung verfolgen", ["feedback"] = "Wie war es? Sagen Sie es uns",
            ["footer"] = "Fragen? Antworten Sie einfach auf diese E-Mail.", ["ship_to"] = "Lieferung an",
        },
        ["fr"] = new()
        {
            ["greeting"] = "Bonjour {{ customer.name }},", ["order"] = "Commande", ["item"] = "Article", ["quantity"] = "Qté", ["total"] = "Total",
            ["carrier"] = "Transporteur", ["tracking"] = "Numéro de suivi", ["track"] = "Suivre votre colis", ["feedback"] = "Donnez-nous votre avis",
            ["footer"] = "Des questions ? Répondez simplement à cet e-mail.", ["ship_to"] = "Livraison à",
        },
    };

    private static readonly Dictionary<string, Dictionary<NotificationKind, KindText>> Kinds = new()
    {
        ["en"] = new()
        {
            [NotificationKind.OrderReceived] = new("We received your order {{ order.number }}", "Thank you! We received your order and will confirm it shortly."),
            [NotificationKind.OrderConfirmed] = new("Your order {{ order.number }} is confirmed", "Your order is confirmed and we are getting it ready."),
            [NotificationKind.Shipped] = new("Your order {{ order.number }} is on its way", "Good news: your parcel has left us with {{ shipment.carrier }}."),
            [NotificationKind.OutForDelivery] = new("Your parcel for {{ order.number }} arrives today", "Your parcel is out for delivery and should arrive today."),
            [NotificationKind.Delivered] = new("Your order {{ order.number }} was delivered", "Your parcel was delivered. We hope you enjoy it."),
            [NotificationKind.DeliveryProblem] = new("A problem with the delivery of {{ order.number }}", "The carrier reported a problem delivering your parcel. We are looking into it and will keep you posted."),
            [NotificationKind.ReadyForPickup] = new("Your order {{ order.number }} is ready for pickup", "Your order is ready. You can collect it at {{ order.pickup_location }}."),
            [NotificationKind.BackorderDelayed] = new("Part of your order {{ order.number }} is delayed", "Part of your order is delayed. We now expect it on {{ expected_date }}."),
            [NotificationKind.ReturnApproved] = new("Your return for {{ order.number }} is approved", "Your return is approved. Please send the items back to us."),
            [NotificationKind.ReturnReceived] = new("We received your return for {{ order.number }}", "Your returned items arrived. We will inspect them and let you know."),
            [NotificationKind.RefundIssued] = new("Your refund for {{ order.number }}", "We refunded {{ refund.amount }} to you. It may take a few days to show."),
            [NotificationKind.InvoiceIssued] = new("Your invoice {{ document.number }} for {{ order.number }}", "Your invoice is attached."),
        },
        ["nl"] = new()
        {
            [NotificationKind.OrderReceived] = new("We hebben je bestelling {{ order.number }} ontvangen", "Bedankt! We hebben je bestelling ontvangen en bevestigen die zo snel mogelijk."),
            [NotificationKind.OrderConfirmed] = new("Je bestelling {{ order.number }} is bevestigd", "Je bestelling is bevestigd en we maken hem klaar."),
            [NotificationKind.Shipped] = new("Je bestelling {{ order.number }} is onderweg", "Goed nieuws: je pakket is verzonden met {{ shipment.carrier }}."),
            [NotificationKind.OutForDelivery] = new("Je pakket voor {{ order.number }} komt vandaag", "Je pakket wordt vandaag bezorgd."),
            [NotificationKind.Delivered] = new("Je bestelling {{ order.number }} is bezorgd", "Je pakket is bezorgd. Veel plezier ermee."),
            [NotificationKind.DeliveryProblem] = new("Een probleem met de bezorging van {{ order.number }}", "De vervoerder meldt een probleem bij het bezorgen van je pakket. We zoeken het uit en houden je op de hoogte."),
            [NotificationKind.ReadyForPickup] = new("Je bestelling {{ order.number }} ligt klaar", "Je bestelling ligt klaar. Je kunt hem ophalen bij {{ order.pickup_location }}."),
            [NotificationKind.BackorderDelayed] = new("Een deel van je bestelling {{ order.number }} is vertraagd", "Een deel van je bestelling is vertraagd. We verwachten het nu op {{ expected_date }}."),
            [NotificationKind.ReturnApproved] = new("Je retour voor {{ order.number }} is goedgekeurd", "Je retour is goedgekeurd. Stuur de artikelen naar ons terug."),
            [NotificationKind.ReturnReceived] = new("We hebben je retour voor {{ order.number }} ontvangen", "Je retour is aangekomen. We controleren de artikelen en laten het je weten."),
            [NotificationKind.RefundIssued] = new("Je terugbetaling voor {{ order.number }}", "We hebben {{ refund.amount }} terugbetaald. Het kan een paar dagen duren voor je het ziet."),
            [NotificationKind.InvoiceIssued] = new("Je factuur {{ document.number }} voor {{ order.number }}", "Je factuur zit in de bijlage."),
        },
        ["de"] = new()
        {
            [NotificationKind.OrderReceived] = new("Wir haben Ihre Bestellung {{ order.number }} erhalten", "Vielen Dank! Wir haben Ihre Bestellung erhalten und bestätigen sie in Kürze."),
            [NotificationKind.OrderConfirmed] = new("Ihre Bestellung {{ order.number }} ist bestätigt", "Ihre Bestellung ist bestätigt, wir bereiten sie vor."),
            [NotificationKind.Shipped] = new("Ihre Bestellung {{ order.number }} ist unterwegs", "Gute Nachricht: Ihr Paket ist mit {{ shipment.carrier }} unterwegs."),
            [NotificationKind.OutForDelivery] = new("Ihr Paket zu {{ order.number }} kommt heute", "Ihr Paket ist in der Zustellung und kommt heute an."),
            [NotificationKind.Delivered] = new("Ihre Bestellung {{ order.number }} wurde zugestellt", "Ihr Paket wurde zugestellt. Viel Freude damit."),
            [NotificationKind.DeliveryProblem] = new("Ein Problem bei der Zustellung von {{ order.number }}", "Der Versanddienst meldet ein Problem bei der Zustellung. Wir kümmern uns darum und halten Sie auf dem Laufenden."),
            [NotificationKind.ReadyForPickup] = new("Ihre Bestellung {{ order.number }} liegt zur Abholung bereit", "Ihre Bestellung liegt bereit. Sie können sie bei {{ order.pickup_location }} abholen."),
            [NotificationKind.BackorderDelayed] = new("Ein Teil Ihrer Bestellung {{ order.number }} verzögert sich", "Ein Teil Ihrer Bestellung verzögert sich. Wir erwarten ihn jetzt am {{ expected_date }}."),
            [NotificationKind.ReturnApproved] = new("Ihre Rücksendung zu {{ order.number }} ist genehmigt", "Ihre Rücksendung ist genehmigt. Bitte senden Sie die Artikel an uns zurück."),
            [NotificationKind.ReturnReceived] = new("Wir haben Ihre Rücksendung zu {{ order.number }} erhalten", "Ihre Rücksendung ist angekommen. Wir prüfen die Artikel und melden uns."),
            [NotificationKind.RefundIssued] = new("Ihre Erstattung zu {{ order.number }}", "Wir haben Ihnen {{ refund.amount }} erstattet. Es kann einige Tage dauern, bis Sie es sehen."),
            [NotificationKind.InvoiceIssued] = new("Ihre Rechnung {{ document.number }} zu {{ order.number }}", "Ihre Rechnung finden Sie im Anhang."),
        },
        ["fr"] = new()
        {
            [NotificationKind.OrderReceived] = new("Nous avons reçu votre commande {{ order.number }}", "Merci ! Nous avons reçu votre commande et la confirmerons sous peu."),
            [NotificationKind.OrderConfirmed] = new("Votre commande {{ order.number }} est confirmée", "Votre commande est confirmée, nous la préparons."),
            [NotificationKind.Shipped] = new("Votre commande {{ order.number }} est en route", "Bonne nouvelle : votre colis est parti avec {{ shipment.carrier }}."),
            [NotificationKind.OutForDelivery] = new("Votre colis pour {{ order.number }} arrive aujourd'hui", "Votre colis est en cours de livraison et devrait arriver aujourd'hui."),
            [NotificationKind.Delivered] = new("Votre commande {{ order.number }} a été livrée", "Votre colis a été livré. Nous espérons qu'il vous plaira."),
            [NotificationKind.DeliveryProblem] = new("Un problème de livraison pour {{ order.number }}", "Le transporteur signale un problème de livraison. Nous nous en occupons et vous tiendrons informé."),
            [NotificationKind.ReadyForPickup] = new("Votre commande {{ order.number }} est prête à être retirée", "Votre commande est prête. Vous pouvez la retirer à {{ order.pickup_location }}."),
            [NotificationKind.BackorderDelayed] = new("Une partie de votre commande {{ order.number }} est retardée", "Une partie de votre commande est retardée. Nous l'attendons désormais le {{ expected_date }}."),
            [NotificationKind.ReturnApproved] = new("Votre retour pour {{ order.number }} est accepté", "Votre retour est accepté. Merci de nous renvoyer les articles."),
            [NotificationKind.ReturnReceived] = new("Nous avons reçu votre retour pour {{ order.number }}", "Vos articles retournés sont arrivés. Nous les vérifions et revenons vers vous."),
            [NotificationKind.RefundIssued] = new("Votre remboursement pour {{ order.number }}", "Nous vous avons remboursé {{ refund.amount }}. Cela peut prendre quelques jours."),
            [NotificationKind.InvoiceIssued] = new("Votre facture {{ document.number }} pour {{ order.number }}", "Votre facture est jointe."),
        },
    };
}
