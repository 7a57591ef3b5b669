using Bogus;
using Microsoft.EntityFrameworkCore;
using Oms.Domain.Catalog;
using Oms.Domain.Common;
using Oms.Domain.Orders;
using Oms.Infrastructure.Persistence;

namespace Oms.Infrastructure.Seeding;

/// <summary>
/// Fills an empty database with a believable shop: a catalog across brands and categories, customers, and orders
/// across channels and states over the last 90 days. A fixed seed makes every run produce the same data.
/// </summary>
public sealed class DemoDataSeeder(OmsDbContext db, PricingPolicy pricing, TimeProvider clock)
{
    public const int Seed = 20261127;
    private const string Actor = "demo-seed";

    private static readonly string[] Brands = ["Northwind", "Contoso", "Fabrikam", "Tailspin", "Adatum", "Litware", "Proseware", "Woodgrove"];
    private static readonly string[] Categories = ["Apparel", "Footwear", "Home", "Kitchen", "Outdoor", "Electronics", "Toys", "Beauty"];
    private static readonly (string Country, string Currency, string Locale)[] Markets =
        [("DE", "EUR", "de"), ("FR", "EUR", "fr"), ("NL", "EUR", "nl"), ("GB", "GBP", "en_GB"), ("US", "USD", "en_US")];

    public async Task<bool> SeedIfEmptyAsync(int products = 300, int customers = 120, int orders = 300, CancellationToken ct = default)
    {
        if (await db.Products.AnyAsync(ct)) return false;
        var faker = new Faker { Random = new Randomizer(Seed) };
        var now = clock.GetUtcNow();

        var catalog = Enumerable.Range(1, products).Select(i =>
        {
            var brand = faker.PickRandom(Brands);
            var category = faker.PickRandom(Categories);
            var currency = "EUR";
            var details = new ProductDetails(
                $"{brand} {faker.Commerce.ProductAdjective()} {faker.Commerce.Product()}",
                brand, category,
                new Money(faker.Random.Int(5, 400) * 100 - 1, currency),
                faker.Random.Int(50, 5000),
                new Dimensions(faker.Random.Int(50, 600), faker.Random.Int(50, 400), faker.Random.Int(10, 300)),
                faker.Commerce.Ean13(),
                Active: faker.Random.Double() > 0.05);
            return Product.Create($"{brand[..3].ToUpperInvariant()}-{category[..3].ToUpperInvariant()}-{i:D4}", details, now.AddDays(-120));
        }).ToList();
        db.Products.AddRange(catalog);

        var people = Enumerable.Range(1, customers).Select(_ =>
        {
            var market = faker.PickRandom(Markets);
            var person = new Faker(market.Locale) { Random = new Randomizer(faker.Random.Int()) }.Person;
            var address = new Address(person.FullName, null, person.Address.Street, null, person.Address.City, person.Address.State,
                person.Address.ZipCode, market.Country, person.Phone, null, null); // Bogus coordinates are random, not in the country
            return (Customer: new CustomerInfo(person.Email.ToLowerInvariant(), person.FullName, person.Phone), Address: address, market.Currency);
        }).ToList();

        var active = catalog.Where(p => p.Active).ToList();
        var placedAt = Enumerable.Range(0, orders).Select(_ => now.AddMinutes(-faker.Random.Int(10, 90 * 24 * 60))).Order().ToList();
        var channels = Enum.GetValues<OrderChannel>();
        foreach (var at in placedAt)
        {
            var buyer = faker.PickRandom(people);
            var channel = faker.PickRandom(channels);
            var lines = faker.PickRandom(active, faker.Random.Int(1, 4))
                .Select(p => new LineItem(p.Sku, p.Name, faker.Random.Int(1, 3), p.PriceAmount)).ToList();
            var priority = faker.Random.Double() < 0.2 ? OrderPriority.Expedited : OrderPriority.Standard;
            var delivery = new Delivery(DeliveryType.Ship, null);
            var charges = pricing.ChargesFor(Order.SubtotalOf(lines), priority, delivery, buyer.Address.Country, null);
            var draft = new OrderDraft(channel, channel == OrderChannel.Marketplace ? $"MP-{faker.Random.AlphaNumeric(10).ToUpperInvariant()}" : null,
                buyer.Customer, buyer.Address, buyer.Address, delivery, priority, "EUR", lines, faker.Random.Double() < 0.15 ? faker.Lorem.Sentence() : null,
                new Dictionary<string, string> { ["source"] = "demo" });
            var order = Order.Place(draft, await db.NextOrderNumberAsync(ct), charges, Actor, at);
            Advance(order, faker, at, now);
            order.ClearDomainEvents(); // demo history is not news for webhook subscribers
            db.Orders.Add(order);
        }
        await db.SaveChangesAsync(ct);
        foreach (var p in catalog) p.ClearDomainEvents();
        return true;
    }

    /// <summary>Moves an order along a plausible path; older orders are further along.</summary>
    private static void Advance(Order order, Faker faker, DateTimeOffset placed, DateTimeOffset now)
    {
        var ageDays = (now - placed).TotalDays;
        var roll = faker.Random.Double();
        var t = placed;
        DateTimeOffset Next(double maxHours) { t = t.AddMinutes(faker.Random.Double(5, maxHours * 60)); return t < now ? t : now; }

        if (roll < 0.07) { order.Cancel(faker.PickRandom("Customer request", "Payment failed", "Fraud suspected"), Actor, Next(12)); return; }
        if (ageDays < 0.5) return; // still pending
        order.Confirm(Actor, Next(2));
        if (roll < 0.12) { order.Hold(faker.PickRandom("Address check", "Payment review"), Actor, Next(6)); return; }
        if (ageDays < 1) return;
        order.MarkAllocated(Actor, Next(6));
        if (ageDays < 2) return;
        if (roll < 0.2) { order.MarkShipped(everything: false, Actor, Next(24)); return; }
        order.MarkShipped(everything: true, Actor, Next(24));
        if (ageDays < 5) return;
        order.MarkDelivered(Actor, Next(72));
        if (ageDays > 20) order.Complete(Actor, Next(24 * 14));
    }
}
