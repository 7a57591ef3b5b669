namespace Oms.Domain.Payments;

/// <summary>Points per rule, and the score from which an order waits on hold for a person.</summary>
public sealed class RiskSettings
{
    public int HoldThreshold { get; set; } = 50;
    /// <summary>An order this many times above the customer's average is unusual.</summary>
    public decimal UnusualAmountFactor { get; set; } = 3m;
    public int UnusualAmountPoints { get; set; } = 30;
    public int CountryMismatchPoints { get; set; } = 20;
    public TimeSpan VelocityWindow { get; set; } = TimeSpan.FromHours(1);
    /// <summary>More orders than this from one e-mail or one IP within the window is suspicious.</summary>
    public int VelocityLimit { get; set; } = 5;
    public int VelocityPoints { get; set; } = 30;
    /// <summary>A first order above this total (minor units) is risky.</summary>
    public long FirstOrderThreshold { get; set; } = 50_000;
    public int FirstOrderPoints { get; set; } = 30;
    /// <summary>Points for the provider's own verdict (Stripe's risk_level).</summary>
    public int ElevatedProviderRiskPoints { get; set; } = 30;
    public int HighProviderRiskPoints { get; set; } = 60;
}

/// <summary>What we know of the customer before this order.</summary>
public sealed record CustomerHistory(int PreviousOrders, long AverageTotal, int RecentOrdersByEmail, int RecentOrdersByIp);

public sealed record RiskAssessment(int Score, IReadOnlyList<string> Reasons, bool Hold);

/// <summary>Scores an order with simple, explainable rules: each that fires adds points and a reason.</summary>
public sealed class RiskPolicy(RiskSettings settings)
{
    public RiskSettings Settings => settings;

    public RiskAssessment Assess(long total, string? billingCountry, string? shippingCountry, CustomerHistory history)
    {
        var reasons = new List<string>();
        var score = 0;
        void Add(int points, string reason) { score += points; reasons.Add($"{reason} (+{points})"); }

        if (history.PreviousOrders >= 2 && history.AverageTotal > 0 && total > history.AverageTotal * settings.UnusualAmountFactor)
            Add(settings.UnusualAmountPoints, $"amount is over {settings.UnusualAmountFactor}× the customer's average of {history.AverageTotal}");
        if (billingCountry is not null && shippingCountry is not null && !string.Equals(billingCountry, shippingCountry, StringComparison.OrdinalIgnoreCase))
            Add(settings.CountryMismatchPoints, $"billing country {billingCountry} differs from shipping country {shippingCountry}");
        if (history.RecentOrdersByEmail >= settings.VelocityLimit)
            Add(settings.VelocityPoints, $"{history.RecentOrdersByEmail} orders from this e-mail within {settings.VelocityWindow.TotalMinutes:0} minutes");
        if (history.RecentOrdersByIp >= settings.VelocityLimit)
            Add(settings.VelocityPoints, $"{history.RecentOrdersByIp} orders from this IP address within {settings.VelocityWindow.TotalMinutes:0} minutes");
        if (history.PreviousOrders == 0 && total > settings.FirstOrderThreshold)
            Add(settings.FirstOrderPoints, $"first order of the customer is above {settings.FirstOrderThreshold}");
        return new RiskAssessment(score, reasons, score >= settings.HoldThreshold);
    }

    /// <summary>Points for the payment provider's verdict (Stripe: normal, elevated, highest).</summary>
    public int ProviderPoints(string? riskLevel) => riskLevel switch
    {
        "elevated" => settings.ElevatedProviderRiskPoints,
        "highest" => settings.HighProviderRiskPoints,
        _ => 0,
    };
}
