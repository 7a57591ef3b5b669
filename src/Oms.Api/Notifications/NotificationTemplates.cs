namespace Oms.Api.Notifications;

/// <summary>The built-in e-mail templates (Liquid): one layout for every kind, an HTML part and a plain-text part.</summary>
public static class NotificationTemplates
{
    public const string Html = """
        <!doctype html>
        <html lang="{{ locale }}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{{ subject }}</title></head>
        <body style="margin:0;padding:0;background:#f4f4f5;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#18181b">
        <table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center" style="padding:24px 12px">
        <table role="presentation" width="600" cellpadding="0" cellspacing="0" style="max-width:600px;background:#ffffff;border-radius:8px">
        <tr><td style="background:{{ shop.color }};padding:18px 24px;border-radius:8px 8px 0 0;color:#ffffff;font-size:20px;font-weight:600">{% if shop.logo_url %}<img src="{{ shop.logo_url }}" alt="{{ shop.name }}" height="32" style="display:block;border:0">{% else %}{{ shop.name }}{% endif %}</td></tr>
        <tr><td style="padding:24px;font-size:15px;line-height:1.5">
        <p style="margin:0 0 12px">{{ greeting }}</p>
        <p style="margin:0 0 20px">{{ intro }}</p>
        <p style="margin:0 0 8px;font-weight:600">{{ labels.order }} {{ order.number }}</p>
        {% if shipment %}<p style="margin:0 0 16px">{{ labels.carrier }}: {{ shipment.carrier }}<br>{{ labels.tracking }}: {{ shipment.tracking_number }}</p>
        {% if shipment.tracking_url %}<p style="margin:0 0 20px"><a href="{{ shipment.tracking_url }}" style="display:inline-block;background:{{ shop.color }};color:#ffffff;text-decoration:none;padding:10px 18px;border-radius:6px">{{ labels.track }}</a></p>{% endif %}{% endif %}
        <table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:collapse;font-size:14px">
        <tr><th align="left" style="border-bottom:1px solid #e4e4e7;padding:6px 0">{{ labels.item }}</th><th align="right" style="border-bottom:1px solid #e4e4e7;padding:6px 0">{{ labels.quantity }}</th><th align="right" style="border-bottom:1px solid #e4e4e7;padding:6px 0">{{ labels.total }}</th></tr>
        {% for line in order.lines %}<tr><td style="padding:6px 0">{{ line.name }}</td><td align="right" style="padding:6px 0">{{ line.quantity }}</td><td align="right" style="padding:6px 0">{{ line.total }}</td></tr>
        {% endfor %}<tr><td colspan="2" style="border-top:1px solid #e4e4e7;padding:8px 0;font-weight:600">{{ labels.total }}</td><td align="right" style="border-top:1px solid #e4e4e7;padding:8px 0;font-weight:600">{{ order.total }}</td></tr>
        </table>
        {% if feedback_url %}<p style="margin:20px 0 0"><a href="{{ feedback_url }}" style="color:{{ shop.color }}">{{ labels.feedback }}</a></p>{% endif %}
        <p style="margin:24px 0 0;color:#71717a;font-size:13px">{{ labels.footer }}<br>{{ shop.name }}</p>
        </td></tr></table></td></tr></table></body></html>
        """;

    public const string Text = """
        {{ greeting }}

        {{ intro }}

        {{ labels.order }} {{ order.number }}
        {% if shipment %}{{ labels.carrier }}: {{ shipment.carrier }}
        {{ labels.tracking }}: {{ shipment.tracking_number }}
        {% if shipment.tracking_url %}{{ labels.track }}: {{ shipment.tracking_url }}
        {% endif %}{% endif %}
        {% for line in order.lines %}- {{ line.quantity }} x {{ line.name }}: {{ line.total }}
        {% endfor %}{{ labels.total }}: {{ order.total }}
        {% if feedback_url %}
        {{ labels.feedback }}: {{ feedback_url }}
        {% endif %}
        {{ labels.footer }}
        {{ shop.name }}
        """;
}
