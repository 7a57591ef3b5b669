using Bogus;
using Microsoft.EntityFrameworkCore;
using Oms.Domain.Catalog;
using Oms.Domain.Common;
using Oms.Domain.Inventory;
using Oms.Domain.Orders;
using Oms.Infrastructure.Persistence;

namespace Oms.Infrastructure.Seeding;

/// <summary>
/// Fills an empty database with a believable shop: a catalog across brands and categories, customers, and orders
/// across channels and states over the last 90 days. A fixed seed makes every run produce the same data.
/// </summary>
public sealed class DemoDataSeeder(OmsDbContext db, PricingPolicy pricing, TimeProvider clock, OrderNumberAllocator numbers, Oms.Infrastructure.Links.LinkSigner links)
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
            var name = $"{brand} {faker.Commerce.ProductAdjective()} {faker.Commerce.Product()}";
            var price = faker.Random.Int(5, 400) * 100 - 1;
            var details = new ProductDetails(
                name,
                brand, category,
                new Money(price, currency),
                faker.Random.Int(50, 5000),
                new Dimensions(faker.Random.Int(50, 600), faker.Random.Int(50, 400), faker.Random.Int(10, 300)),
                faker.Commerce.Ean13(),
                Active: faker.Random.Double() > 0.05,
                CostAmount: price * 55 / 100); // a 45 % margin, without drawing from the seed (the rest of the demo stays as it was)
            return Product.Create($"{brand[..3].ToUpperInvariant()}-{category[..3].ToUpperInvariant()}-{i:D4}", details, now.AddDays(-120));
        }).ToList();
        foreach (var p in catalog) p.ClearDomainEvents(); // demo history is not news for webhook subscribers
        db.Products.AddRange(catalog);
        SeedNetwork(faker, catalog, now);

        var people = Enumerable.Range(1, customers).Select(_ =>
        {
            var market = faker.PickRandom(Markets);
            var person = new Faker(market.Locale) { Random = new Randomizer(faker.Random.Int()) }.Person;
            var address = new Address(person.FullName, null, person.Address.Street, null, person.Address.City, person.Address.State,
                person.Address.ZipCode, market.Country, person.Phone, null, null); // Bogus coordinates are random, not in the country
            return (Customer: new CustomerInfo(person.Email.ToLowerInvariant(), person.FullName, person.Phone), Address: address, market.Currency);
        }).ToList();

        var active = catalog.Where(p => p.Active).ToList();
        // Customers of every segment: most bought in the last 90 days (new, active, loyal), a sixth only between 91 and
        // 365 days ago (at risk), a tenth only longer ago (lapsed).
        static (int From, int To) Window(int person) => person % 10 == 0 ? (366, 540) : person % 6 == 5 ? (100, 360) : (0, 89);
        var placed = Enumerable.Range(0, orders).Select(_ =>
        {
            var person = faker.Random.Int(0, people.Count - 1);
            var (from, to) = Window(person);
            return (Buyer: people[person], At: now.AddMinutes(-faker.Random.Int(from * 24 * 60 + 10, to * 24 * 60 + 24 * 60 - 10)));
        }).OrderBy(p => p.At).ToList();
        var channels = Enum.GetValues<OrderChannel>();
        foreach (var (buyer, at) in placed)
        {
            var channel = faker.PickRandom(channels);
            var lines = faker.PickRandom(active, faker.Random.Int(1, 4))
                .Select(p => new LineItem(p.Sku, p.Name, faker.Random.Int(1, 3), p.PriceAmount)).ToList();
            var priority = faker.Random.Double() < 0.2 ? OrderPriority.Expedited : OrderPriority.Standard;
            var delivery = new Delivery(DeliveryType.Ship, null);
            var charges = pricing.ChargesFor(Order.SubtotalOf(lines), priority, delivery, buyer.Address.Country, null);
            var draft = new OrderDraft(channel, channel == OrderChannel.Marketplace ? $"MP-{faker.Random.AlphaNumeric(10).ToUpperInvariant()}" : null,
                buyer.Customer, buyer.Address, buyer.Address, delivery, priority, "EUR", lines, faker.Random.Double() < 0.15 ? faker.Lorem.Sentence() : null,
                new Dictionary<string, string> { ["source"] = "demo" });
            var order = Order.Place(draft, await numbers.NextAsync(db, ct), charges, Actor, at);
            Advance(order, faker, at, now, links.Feedback);
            order.ClearDomainEvents(); // demo history is not news for webhook subscribers
            db.Orders.Add(order);
        }
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>Six nodes in four countries, four suppliers, stock of every SKU at two to four nodes, reorder points at the warehouses.</summary>
    private void SeedNetwork(Faker faker, IReadOnlyList<Product> catalog, DateTimeOffset now)
    {
        static Address At(string name, string line, string city, string postal, string country, double lat, double lon) =>
            new(name, null, line, null, city, null, postal, country, null, lat, lon);
        var eur = new ShippingCostModel(350, 60, 25, "EUR");
        var nodes = new[]
        {
            FulfilmentNode.Create("DE-BER-WH", new NodeDetails(NodeKind.Warehouse, "Berlin warehouse", At("Berlin warehouse", "Am Borsigturm 40", "Berlin", "13507", "DE", 52.585, 13.288),
                "Europe/Berlin", true, true, false, ["DE", "AT", "PL", "CZ", "DK"], 0, 1500, new TimeOnly(15, 0), eur), now),
            FulfilmentNode.Create("DE-FRA-WH", new NodeDetails(NodeKind.Warehouse, "Frankfurt warehouse", At("Frankfurt warehouse", "Cargo City Süd 570", "Frankfurt am Main", "60549", "DE", 50.035, 8.562),
                "Europe/Berlin", true, true, false, ["DE", "AT", "CH", "BE", "LU", "NL", "FR"], 0, 1200, new TimeOnly(16, 0), eur), now),
            FulfilmentNode.Create("NL-VEN-3PL", new NodeDetails(NodeKind.ThirdPartyLogistics, "Venlo 3PL", At("Venlo 3PL", "Celsiusweg 5", "Venlo", "5928 PR", "NL", 51.390, 6.150),
                "Europe/Amsterdam", true, true, false, [], 1, 3000, new TimeOnly(17, 0), new ShippingCostModel(300, 55, 22, "EUR")), now),
            FulfilmentNode.Create("FR-LYS-WH", new NodeDetails(NodeKind.Warehouse, "Lyon warehouse", At("Lyon warehouse", "Rue du Dauphiné 12", "Saint-Priest", "69800", "FR", 45.700, 4.940),
                "Europe/Paris", true, true, false, ["FR", "BE", "ES", "IT", "CH"], 0, 800, new TimeOnly(14, 30), eur), now),
            FulfilmentNode.Create("DE-BER-STORE", new NodeDetails(NodeKind.Store, "Berlin Mitte store", At("Berlin Mitte store", "Rosenthaler Str. 40", "Berlin", "10178", "DE", 52.526, 13.402),
                "Europe/Berlin", true, true, true, ["DE"], 3, 60, new TimeOnly(12, 0), new ShippingCostModel(500, 80, 40, "EUR")), now),
            FulfilmentNode.Create("FR-PAR-STORE", new NodeDetails(NodeKind.Store, "Paris Marais store", At("Paris Marais store", "12 Rue des Francs-Bourgeois", "Paris", "75003", "FR", 48.857, 2.360),
                "Europe/Paris", true, true, true, ["FR"], 3, 40, new TimeOnly(12, 0), new ShippingCostModel(500, 80, 40, "EUR")), now),
        };
        db.Nodes.AddRange(nodes);
        var suppliers = new[]
        {
            Supplier.Create("NORTHWIND-SUPPLY", "Northwind Supply GmbH", "orders@northwind.example", 5, now),
            Supplier.Create("CONTOSO-TRADING", "Contoso Trading B.V.", "po@contoso.example", 7, now),
            Supplier.Create("FABRIKAM-DIRECT", "Fabrikam Direct SAS", "achats@fabrikam.example", 10, now),
            Supplier.Create("LITWARE-WHOLESALE", "Litware Wholesale Ltd", "sales@litware.example", 14, now),
        };
        db.Suppliers.AddRange(suppliers);
        foreach (var product in catalog)
        {
            var supplier = suppliers[Array.IndexOf(Brands, product.Brand) % suppliers.Length];
            foreach (var node in faker.PickRandom(nodes, faker.Random.Int(2, 4)))
            {
                var stock = StockItem.Seeded(node.Id, product.Sku, faker.Random.Int(0, 60), now);
                if (node.Kind != NodeKind.Store && faker.Random.Double() < 0.7)
                    stock.Configure(safetyStock: faker.Random.Int(0, 3), reorderPoint: faker.Random.Int(5, 15), reorderQuantity: faker.Random.Int(20, 100), supplier.Id, now);
                db.Stock.Add(stock);
            }
        }
    }

    /// <summary>Moves an order along a plausible path; older orders are further along.</summary>
    private static void Advance(Order order, Faker faker, DateTimeOffset placed, DateTimeOffset now, FeedbackLinks feedbackLinks)
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
        order.MarkDelivered(Actor, Next(72), feedbackLinks);
        if (ageDays > 20) order.Complete(Actor, Next(24 * 14));
    }
}
