using Microsoft.EntityFrameworkCore;
using Oms.Api.Fulfilment;
using Oms.Api.Orders;
using Oms.Api.Payments;
using Oms.Api.Platform.Http;
using Oms.Api.Returns;
using Oms.Domain.Catalog;
using Oms.Domain.Common;
using Oms.Domain.Fulfilment;
using Oms.Domain.Inventory;
using Oms.Domain.Orders;
using Oms.Domain.Payments;
using Oms.Domain.Returns;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Composition;

/// <summary>
/// Demo orders that went through the real use cases after the seeded history: every order status, fulfilment orders
/// at each step, a split shipment, a short pick, a carrier exception, pickups, and returns refunded and exchanged.
/// Driven through the same services as the APIs, so their stock, payments and events agree with each other.
/// </summary>
public sealed class DemoJourneys(IServiceScopeFactory scopes, TimeProvider clock)
{
    private const string Mug = "DEMO-MUG", Lamp = "DEMO-LAMP", Tee = "DEMO-TEE", Preorder = "DEMO-PREORDER";
    private int _customer;

    public async Task RunAsync(CancellationToken ct)
    {
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OmsDbContext>();
            if (await db.Products.AnyAsync(p => p.Sku == Mug, ct)) return;
            await StockAsync(db, ct);
        }

        await Journey(async j => await j.PlaceAsync([(Mug, 1)]), ct);                                  // pending
        await Journey(async j => await j.PlaceAsync([(Tee, 2)]), ct);                                  // pending
        await Journey(async j => await j.Orders.HoldAsync(new OrderId((await j.PlaceAsync([(Lamp, 1)])).Id), "Address check", null, ct), ct);
        await Journey(async j => await j.Orders.CancelAsync(new OrderId((await j.PaidAsync([(Mug, 2)])).Id), "Customer request", null, ct), ct);
        await Journey(async j => await j.PaidAsync([(Preorder, 1)]), ct);                             // confirmed, waiting for stock
        await Journey(async j => await j.PaidAsync([(Mug, 1), (Tee, 1)]), ct);                        // allocated, open work
        await Journey(async j => await j.PaidAsync([(Tee, 3)], OrderPriority.Expedited), ct);          // allocated, expedited
        await Journey(async j => await j.Fulfilment.StartPickingAsync((await j.WorkAsync(await j.PaidAsync([(Mug, 2)])))[0].Id, null, ct), ct);
        await Journey(async j => await j.PackAsync((await j.WorkAsync(await j.PaidAsync([(Tee, 1)])))[0]), ct);
        await Journey(async j =>                                                                       // short pick re-routed
        {
            var order = await j.PaidAsync([(Tee, 2)]);
            var work = (await j.WorkAsync(order))[0];
            await j.Fulfilment.RecordPicksAsync(work.Id, new RecordPicksRequest { Lines = [new PickLineRequest { OrderLineId = work.Lines[0].OrderLineId, Picked = 1 }] }, null, ct);
        }, ct);
        await Journey(async j =>                                                                       // split: one part shipped
        {
            var work = await j.WorkAsync(await j.PaidAsync([(Mug, 1), (Lamp, 1)]));
            await j.TrackAsync(await j.ShipAsync(work[0]), TrackingStatus.InTransit, "DEP", "Departed sorting centre", 3);
        }, ct);
        await Journey(async j =>                                                                       // split: both parts on their way
        {
            foreach (var f in await j.WorkAsync(await j.PaidAsync([(Mug, 2), (Lamp, 1)])))
                await j.TrackAsync(await j.ShipAsync(f), TrackingStatus.InTransit, "DEP", "Departed sorting centre", 2);
        }, ct);
        await Journey(async j =>                                                                       // carrier exception
        {
            var shipment = await j.ShipAsync((await j.WorkAsync(await j.PaidAsync([(Lamp, 1)])))[0]);
            await j.TrackAsync(shipment, TrackingStatus.InTransit, "DEP", "Departed sorting centre", 2);
            await j.TrackAsync(shipment, TrackingStatus.DeliveryFailed, "NOT_HOME", "Recipient not at home, card left", 20);
        }, ct);
        await Journey(async j => await j.FeedbackAsync(await j.DeliveredAsync([(Tee, 1)]), 5, "Lovely fabric, fast delivery.", null), ct);
        await Journey(async j => await j.Orders.CompleteAsync(new OrderId((await j.DeliveredAsync([(Mug, 1)])).Id), null, ct), ct);
        await Journey(async j => await j.ReturnAsync(await j.DeliveredAsync([(Tee, 2)]), ReturnReason.SizeOrFit, null), ct);
        await Journey(async j =>                                                                       // a low rating: the customer is flagged for follow-up
        {
            var order = await j.DeliveredAsync([(Mug, 2)]);
            await j.FeedbackAsync(order, 1, "One mug arrived broken.", FeedbackReason.Packaging);
            await j.ReturnAsync(order, ReturnReason.Damaged, Disposition.WriteOff);
        }, ct);
        await Journey(async j => await j.ReturnAsync(await j.DeliveredAsync([(Lamp, 1), (Mug, 1)]), ReturnReason.Defective, Disposition.Restock, exchange: true), ct);
        await Journey(async j =>                                                                       // pickup waiting at the store
        {
            var f = (await j.WorkAsync(await j.PaidAsync([(Mug, 1)], pickup: true)))[0];
            await j.PackAsync(f);
            await j.Fulfilment.ReadyForPickupAsync(f.Id, null, ct);
        }, ct);
        await Journey(async j =>                                                                       // pickup collected
        {
            var f = (await j.WorkAsync(await j.PaidAsync([(Mug, 1)], pickup: true)))[0];
            await j.PackAsync(f);
            await j.Fulfilment.ReadyForPickupAsync(f.Id, null, ct);
            await j.Fulfilment.PickedUpAsync(f.Id, null, ct);
        }, ct);
    }

    private async Task Journey(Func<Steps, Task> run, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await run(new Steps(scope.ServiceProvider, ++_customer, clock, ct));
    }

    /// <summary>Demo products: mugs in Berlin (warehouse and store), lamps only in Frankfurt, tees in both warehouses, and a pre-order with no stock yet.</summary>
    private async Task StockAsync(OmsDbContext db, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var nodes = await db.Nodes.ToDictionaryAsync(n => n.Code, n => n.Id, ct);
        if (!nodes.ContainsKey("DE-BER-WH") || !nodes.ContainsKey("DE-FRA-WH") || !nodes.ContainsKey("DE-BER-STORE")) return;
        foreach (var (sku, name, price, grams) in new[] { (Mug, "Demo enamel mug", 1450L, 350), (Lamp, "Demo desk lamp", 5900L, 1800), (Tee, "Demo organic tee", 2400L, 200) })
        {
            var product = Product.Create(sku, new ProductDetails(name, "HeadlessOms", "Demo", new Money(price, "EUR"), grams, new Dimensions(300, 200, 150), null, true), now);
            product.ClearDomainEvents();
            db.Products.Add(product);
        }
        var preorder = Product.Create(Preorder, new ProductDetails("Demo limited print (pre-order)", "HeadlessOms", "Demo", new Money(3900, "EUR"), 300, null, null, true,
            BackorderPolicy.Preorder, DateOnly.FromDateTime(now.UtcDateTime).AddDays(14)), now);
        preorder.ClearDomainEvents();
        db.Products.Add(preorder);
        db.Stock.AddRange(
            StockItem.Seeded(nodes["DE-BER-WH"], Mug, 40, now), StockItem.Seeded(nodes["DE-BER-STORE"], Mug, 12, now),
            StockItem.Seeded(nodes["DE-FRA-WH"], Lamp, 20, now),
            StockItem.Seeded(nodes["DE-BER-WH"], Tee, 30, now), StockItem.Seeded(nodes["DE-FRA-WH"], Tee, 30, now));
        await db.SaveChangesAsync(ct);
    }

    private sealed class Steps(IServiceProvider services, int customer, TimeProvider clock, CancellationToken ct)
    {
        public OrderService Orders { get; } = services.GetRequiredService<OrderService>();
        public FulfilmentService Fulfilment { get; } = services.GetRequiredService<FulfilmentService>();
        private readonly PaymentService _payments = services.GetRequiredService<PaymentService>();
        private readonly FulfilmentQueries _queries = services.GetRequiredService<FulfilmentQueries>();
        private readonly ReturnService _returns = services.GetRequiredService<ReturnService>();

        public async Task<OrderDto> PlaceAsync((string Sku, int Quantity)[] lines, OrderPriority priority = OrderPriority.Standard, bool pickup = false)
        {
            var (order, _, _) = await Orders.PlaceAsync(new PlaceOrderRequest
            {
                Channel = customer % 3 == 0 ? OrderChannel.Mobile : OrderChannel.Web,
                Customer = new OrderCustomerDto { Email = $"demo.shopper{customer}@example.com", Name = $"Demo Shopper {customer}" },
                ShippingAddress = new AddressDto { Name = $"Demo Shopper {customer}", Line1 = $"Torstraße {customer}", City = "Berlin", PostalCode = "10119", Country = "DE" },
                Delivery = pickup ? new DeliveryDto { Type = DeliveryType.Pickup, PickupLocation = "DE-BER-STORE" } : null,
                Priority = priority, Currency = "EUR",
                Lines = lines.Select(l => new OrderLineRequest { Sku = l.Sku, Quantity = l.Quantity }).ToList(),
                Metadata = new Dictionary<string, string> { ["source"] = "demo-journey" },
            }, ct);
            return order;
        }

        /// <summary>Placed and paid by bank transfer, which confirms, routes and reserves it.</summary>
        public async Task<OrderDto> PaidAsync((string Sku, int Quantity)[] lines, OrderPriority priority = OrderPriority.Standard, bool pickup = false)
        {
            var order = await PlaceAsync(lines, priority, pickup);
            var payment = await _payments.CreateAsync(new OrderId(order.Id), new CreatePaymentRequest { Method = PaymentMethod.BankTransfer, Reference = order.Number }, null, ct);
            await _payments.MarkReceivedAsync(new OrderId(order.Id), payment.Id, new MarkReceivedRequest { Amount = order.Total.Amount }, payment.Version, null, ct);
            return order;
        }

        public async Task<IReadOnlyList<FulfilmentOrderDto>> WorkAsync(OrderDto order) =>
            (await _queries.ListAsync(order.Id, null, null, PageRequest.First(Cursor.MaxLimit), ct)).Data.Where(f => f.Status == FulfilmentStatus.Open).OrderBy(f => f.NodeCode).ToList();

        public Task<FulfilmentOrderDto> PackAsync(FulfilmentOrderDto f) =>
            Fulfilment.PackAsync(f.Id, new PackRequest { Packages = [new PackageRequest { WeightGrams = 900, LengthMm = 350, WidthMm = 250, HeightMm = 120 }] }, null, ct);

        public async Task<ShipmentDto> ShipAsync(FulfilmentOrderDto f)
        {
            await PackAsync(f);
            return await Fulfilment.ShipAsync(f.Id, new ShipFulfilmentRequest { Service = "standard", TrackingNumber = $"DEMO{customer:D4}{f.NodeCode[3..6]}" }, null, ct);
        }

        public Task<ShipmentDto> TrackAsync(ShipmentDto s, TrackingStatus status, string code, string text, int secondsLater) =>
            Fulfilment.AddTrackingEventAsync(s.Id, new TrackingEventRequest
            {
                Status = status, CarrierCode = code, Description = text, Location = "Berlin", OccurredAt = clock.GetUtcNow().AddSeconds(secondsLater), // after the label, which is created now
            }, ct);

        public async Task<OrderDto> DeliveredAsync((string Sku, int Quantity)[] lines)
        {
            var order = await PaidAsync(lines);
            foreach (var f in await WorkAsync(order))
            {
                var s = await ShipAsync(f);
                await TrackAsync(s, TrackingStatus.InTransit, "DEP", "Departed sorting centre", 1);
                await TrackAsync(s, TrackingStatus.OutForDelivery, "OFD", "Out for delivery", 2);
                await TrackAsync(s, TrackingStatus.Delivered, "DL", "Delivered to the front door", 3);
            }
            return order;
        }

        /// <summary>The customer answers the feedback link their delivered order offers.</summary>
        public async Task FeedbackAsync(OrderDto order, int rating, string comment, FeedbackReason? reason)
        {
            var token = (await services.GetRequiredService<OrderQueries>().GetAsync(new OrderId(order.Id), ct)).Feedback?.Token;
            if (token is not null)
                await services.GetRequiredService<Customers.FeedbackService>().GiveAsync(token, new Customers.FeedbackRequest { Rating = rating, Comment = comment, Reason = reason }, ct);
        }

        /// <summary>A return of the first line; with a disposition it is received and inspected, then refunded or exchanged.</summary>
        public async Task ReturnAsync(OrderDto order, ReturnReason reason, Disposition? disposition, bool exchange = false)
        {
            var line = order.Lines[0];
            var rma = await _returns.RequestAsync(new OrderId(order.Id), new CreateReturnRequest
            {
                Lines = [new ReturnLineRequestDto { OrderLineId = line.Id, Quantity = 1, Reason = reason }], Comment = "Requested from the demo",
            }, ct);
            if (disposition is not { } d) return;
            await _returns.ApproveAsync(rma.Id, null, ct);
            await _returns.MarkInTransitAsync(rma.Id, new ReturnInTransitRequest { Carrier = "manual", TrackingNumber = $"RET{customer:D4}" }, null, ct);
            await _returns.ReceiveAsync(rma.Id, new ReceiveReturnRequest { NodeCode = "DE-BER-WH" }, null, ct);
            await _returns.InspectAsync(rma.Id, new InspectReturnRequest { Lines = [new InspectLineRequest { OrderLineId = line.Id, Disposition = d }] }, null, ct);
            if (exchange) await _returns.ExchangeAsync(rma.Id, new ExchangeReturnRequest(), null, ct);
            else await _returns.RefundAsync(rma.Id, new RefundReturnRequest(), null, ct);
        }
    }
}
