using Microsoft.EntityFrameworkCore;
using Oms.Api.Platform.Http;
using Oms.Api.Platform.Auth;
using Oms.Api.Routing;
using Oms.Api.Platform.Validation;
using Oms.Domain.Common;
using Oms.Domain.Customers;
using Oms.Domain.Orders;
using Oms.Domain.Payments;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Orders;

public sealed class OrderService(OmsDbContext db, UnitOfWork work, TimeProvider clock, PricingPolicy pricing, RiskPolicy risk, Actor actor, AllocationService allocations,
    Payments.OrderPayments payments, OrderNumberAllocator numbers, Nodes.NodeDirectory nodes, ICheckoutWriter checkout, Oms.Infrastructure.Links.LinkSigner links, Visibility seen) : Payments.IOrderConfirmation, Returns.IReplacementOrders
{
    /// <summary>
    /// Places an order, or returns the existing one when the channel reference was seen before (<c>Created</c> false).
    /// <c>Json</c> is the new order as its events carry it, serialized once at the save with the API's JSON options:
    /// REST answers with it instead of serializing the same resource again. <paramref name="reservedId"/> is the id an
    /// Idempotency-Key reserved for the order (IdempotencyMiddleware), the same on every retry of the key.
    /// </summary>
    public async Task<(OrderDto Order, bool Created, string? Json)> PlaceAsync(PlaceOrderRequest request, CancellationToken ct, Guid? reservedId = null)
    {
        RequestValidator.ThrowIfInvalid(request);
        seen.EnsureChannel(request.Channel);
        if (request.ChannelOrderRef is { } reference && await FindByChannelRefAsync(request.Channel, reference, ct) is { } known)
            return (known, false, null);

        // First with the reservation in the write's round trip; should the stock have moved since it was read (or the
        // reservation cross a reorder point), nothing was written and the order is placed again, reserving first.
        var id = reservedId is { } reserved ? new OrderId(reserved) : (OrderId?)null;
        return await PlaceOnceAsync(request, id, reserveWithSave: true, ct) ?? (await PlaceOnceAsync(request, id, reserveWithSave: false, ct))!.Value;
    }

    /// <summary>Null when the reservation sent with the save was refused (nothing written: try again without).</summary>
    private async Task<(OrderDto Order, bool Created, string? Json)?> PlaceOnceAsync(PlaceOrderRequest request, OrderId? id, bool reserveWithSave, CancellationToken ct)
    {
        // One transaction from the first read to the last write: the reads then run under its settings (generic plans
        // on PostgreSQL, see WriteTransactionSettings) and the save needs no transaction of its own.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            return await PlaceInTransactionAsync(request, id, tx, reserveWithSave, ct);
        }
        finally
        {
            checkout.Reset();
        }
    }

    private async Task<(OrderDto Order, bool Created, string? Json)?> PlaceInTransactionAsync(PlaceOrderRequest request, OrderId? id, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction tx,
        bool reserveWithSave, CancellationToken ct)
    {
        var currency = Currencies.Normalize(request.Currency);
        var now = clock.GetUtcNow();
        // Money that comes with the order confirms it at once: read the lines' stock with their products, and route from it.
        var (read, history) = await ReadForPlacementAsync(request, withStock: request.Payment is not null, now, ct);
        var lines = Price(request.Lines, currency, read.Products);
        var delivery = new Delivery(request.Delivery?.Type ?? DeliveryType.Ship, request.Delivery?.PickupLocation);
        var shipping = request.ShippingAddress?.ToDomain();
        var billing = request.BillingAddress?.ToDomain();
        var vatId = Vat.NormalizeId(request.Customer.VatId);
        var charges = pricing.ChargesFor(Order.SubtotalOf(lines), request.Priority, delivery, await TaxCountryAsync(delivery, shipping ?? billing, ct), request.ShippingAmount, vatId);
        // The customer: the one the request names or its e-mail leads to, or a new one.
        Customer? newCustomer = null;
        if (read.Customer is { Erased: true })
            throw new DomainException("order.customer_erased", "This customer's personal data was erased: place the order as a new customer.", "customerId");
        if (read.Customer is null && request.CustomerId is not null)
            throw new DomainException("order.unknown_customer", "No customer has this id.", "customerId");
        var customerId = read.Customer?.Id ?? (newCustomer = Customer.Create(request.Customer.Email, request.Customer.Name, request.Customer.Phone, now)).Id;
        var draft = new OrderDraft(
            request.Channel, request.ChannelOrderRef,
            new CustomerInfo(request.Customer.Email, request.Customer.Name, request.Customer.Phone, vatId),
            shipping, billing, delivery, request.Priority, currency, lines, request.Notes,
            request.Metadata ?? [], request.ClientIp, Id: id, CustomerId: customerId, Seller: request.Seller,
            ShipBy: request.ShipBy, PromisedDeliveryDate: request.PromisedDeliveryDate);

        if (request.Payment is { Method: not (PaymentMethod.BankTransfer or PaymentMethod.Other) })
            throw new DomainException("order.payment_method_not_inline",
                "Only money already received (bank_transfer, other) comes with the order; add cards, cash on delivery and invoices with POST /orders/{id}/payments.", "payment.method");

        var order = Order.Place(draft, await numbers.NextAsync(db, ct), charges, actor.Name, now);
        var assessment = risk.Assess(order.Total, order.BillingAddress?.Country, order.ShippingAddress?.Country, history);
        order.AssessRisk(assessment.Score, assessment.Reasons, assessment.Hold, "risk", now, atPlacement: true);
        checkout.Add(order);
        var value = new Money(order.Total, order.Currency);
        if (read.Customer is { } known) await checkout.CustomerOrderedAsync(known, value, now, ct);
        else
        {
            newCustomer!.OrderPlaced(value, now);
            checkout.Add(newCustomer);
        }
        if (request.Payment is { } paid)
        {
            var amount = paid.Amount ?? order.Total;
            order.EnsureCanTake(amount, overpayment: false, "payment.amount");
            var payment = Payment.Create(order.Id, paid.Method, new Money(amount, order.Currency), null, now);
            if (paid.Reference is { } moneyReference) payment.Reference(moneyReference);
            order.PaymentMoved(payment.Capture(amount, now, "received"), now, atPlacement: true);
            checkout.Add(payment);
        }
        // Paid in full and not held by the fraud rules: confirmed, routed and reserved in the same transaction.
        var confirm = request.Payment is not null && order.Status == OrderStatus.Pending && order.AmountOutstanding == 0;
        try
        {
            if (confirm)
            {
                order.Confirm(actor.Name, now);
                await allocations.AllocateOnConfirmAsync(order, ct, read, checkout, reserveWithSave);
            }
            await checkout.SaveAndCommitAsync(tx, ct);
        }
        catch (DbUpdateException e) when (reserveWithSave && checkout.IsRefusal(e))
        {
            await tx.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            return null;
        }
        catch (DbUpdateException e) when (newCustomer is not null && db.IsUniqueViolationOn(e, "customers"))
        {
            // Another checkout made this e-mail's customer between our read and our write: place it again, for theirs.
            await tx.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            return null;
        }
        catch (DbUpdateException e) when (request.ChannelOrderRef is { } racedRef && db.IsUniqueViolation(e))
        {
            // Another request placed the same channel order between our check and our insert: theirs stands.
            await tx.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            return (await FindByChannelRefAsync(request.Channel, racedRef, ct) ?? throw new InvalidOperationException("Unique violation without a row."), false, null);
        }
        catch (DbUpdateException e) when (id is { } reserved && db.IsUniqueViolation(e))
        {
            // A retry of the same Idempotency-Key whose first attempt, presumed dead, committed meanwhile: that order stands.
            await tx.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            var placed = await db.Orders.AsNoTracking().Where(o => o.Id == reserved).Select(o => OrderDto.From(o)).SingleOrDefaultAsync(ct);
            if (placed is null) throw;
            return (placed, true, null);
        }
        return (OrderDto.From(order), true, db.TakeSavedJson(order));
    }

    /// <summary>
    /// An exchange's replacement: the original customer, addresses and delivery, the given SKUs at no charge, confirmed
    /// and routed at once. Runs inside the caller's transaction, so the return and its replacement commit together.
    /// </summary>
    public async Task<Order> PlaceReplacementAsync(Order original, IReadOnlyList<(string Sku, int Quantity)> lines, Guid returnId, string returnNumber, CancellationToken ct)
    {
        var priced = await PriceLinesAsync(lines.Select(l => new OrderLineRequest { Sku = l.Sku, Quantity = l.Quantity, UnitPrice = 0 }).ToList(), original.Currency, ct);
        var draft = new OrderDraft(original.Channel, null, original.Customer, original.ShippingAddress, original.BillingAddress, original.Delivery with { }, original.Priority,
            original.Currency, priced, $"Exchange for return {returnNumber}", new Dictionary<string, string> { ["exchangeForReturn"] = returnNumber },
            ReplacementForReturnId: returnId, CustomerId: original.CustomerId);
        var now = clock.GetUtcNow();
        var order = Order.Place(draft, await numbers.NextAsync(db, ct), new Charges(0, original.TaxRateBasisPoints), actor.Name, now);
        db.Orders.Add(order);
        order.Confirm(actor.Name, now);
        await allocations.AllocateOnConfirmAsync(order, ct);
        return order;
    }

    public async Task<OrderDto> EditAsync(OrderId id, UpdateOrderRequest request, int? expectedVersion, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(request);
        var order = await LoadAsync(id, expectedVersion, ct);
        var lines = request.Lines is { } requested ? await PriceLinesAsync(requested, order.Currency, ct) : null;
        var edit = new OrderEdit(lines, request.ShippingAddress?.ToDomain(), request.BillingAddress?.ToDomain(), request.Notes, request.Metadata, request.Seller);
        var subtotal = lines is null ? order.Subtotal : Order.SubtotalOf(lines);
        var country = await TaxCountryAsync(order.Delivery, edit.ShippingAddress ?? order.ShippingAddress ?? edit.BillingAddress ?? order.BillingAddress, ct);
        var charges = pricing.ChargesFor(subtotal, order.Priority, order.Delivery, country, request.ShippingAmount, order.Customer.VatId);
        return OrderDto.From(await work.ChangeAsync(async () =>
        {
            var reroute = lines is not null && order.HoldsReservations;
            if (reroute) await allocations.ReleaseAllAsync(order.Id, ct);
            order.Edit(edit, charges, actor.Name, clock.GetUtcNow());
            if (reroute) await allocations.AllocateOnConfirmAsync(order, ct); // new lines, new reservations
            return order;
        }, ct));
    }

    /// <summary>Confirms the order and, in the same transaction, routes it and reserves its stock.</summary>
    public Task<OrderDto> ConfirmAsync(OrderId id, int? expectedVersion, CancellationToken ct) =>
        ChangeAsync(id, expectedVersion, o => ConfirmLoadedAsync(o, ct), ct);

    public async Task ConfirmLoadedAsync(Order order, CancellationToken ct)
    {
        order.Confirm(actor.Name, clock.GetUtcNow());
        await allocations.AllocateOnConfirmAsync(order, ct);
        if (payments.CaptureAtConfirmation) await payments.CaptureAsync(order, order.Total, final: true, ct);
        else await payments.CaptureUnsplittableAtConfirmationAsync(order, ct);
    }

    public Task<OrderDto> HoldAsync(OrderId id, string reason, int? expectedVersion, CancellationToken ct) =>
        ChangeAsync(id, expectedVersion, (o, who, now) => o.Hold(Reason(reason), who, now), ct);

    /// <summary>
    /// Releases a held order to where it was. One held while still pending whose money was secured meanwhile (paid in
    /// full, or a card authorised) is then confirmed, as it would have been without the hold.
    /// </summary>
    public async Task<OrderDto> ReleaseAsync(OrderId id, string? reason, int? expectedVersion, CancellationToken ct)
    {
        var secured = false;
        var released = await ChangeAsync(id, expectedVersion, async o =>
        {
            o.Release(actor.Name, reason, clock.GetUtcNow());
            secured = o.Status == OrderStatus.Pending && await payments.SecuresAsync(o, ct);
        }, ct);
        return secured ? await TryConfirmAsync(id, ct) ?? released : released;
    }

    /// <summary>
    /// Confirms a pending order whose money is secured (paid in full, or what is outstanding authorised on cards); does
    /// nothing for any other order, so it can run again after a failure.
    /// </summary>
    public async Task ConfirmIfSecuredAsync(OrderId id, CancellationToken ct)
    {
        var order = await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct);
        if (order is { Status: OrderStatus.Pending } && await payments.SecuresAsync(order, ct)) await TryConfirmAsync(id, ct);
    }

    /// <summary>
    /// Money is secured (authorised, or paid in full): confirm the order, which routes and reserves it. When that cannot
    /// happen now (stock is short, or someone moved the order meanwhile) the money waits, nothing is written, and the
    /// answer is null.
    /// </summary>
    Task Payments.IOrderConfirmation.TryConfirmAsync(OrderId id, CancellationToken ct) => TryConfirmAsync(id, ct);

    public async Task<OrderDto?> TryConfirmAsync(OrderId id, CancellationToken ct)
    {
        try
        {
            return await ConfirmAsync(id, null, ct);
        }
        catch (ConflictException e) when (e.Code is "inventory.insufficient_stock" or "order.invalid_transition")
        {
            return null;
        }
    }

    /// <summary>Cancels the order and gives its reservations back to stock.</summary>
    public Task<OrderDto> CancelAsync(OrderId id, string reason, int? expectedVersion, CancellationToken ct) =>
        ChangeAsync(id, expectedVersion, async o =>
        {
            var held = o.HoldsReservations;
            o.Cancel(Reason(reason), actor.Name, clock.GetUtcNow());
            if (held) await allocations.ReleaseAllAsync(o.Id, ct);
            await payments.VoidOpenAsync(o, "order cancelled", ct); // nothing captured yet: the hold on the card is released
        }, ct);

    /// <summary>The goods arrived (recorded by hand until carrier tracking does it); cash on delivery counts as collected.</summary>
    public Task<OrderDto> DeliverAsync(OrderId id, int? expectedVersion, CancellationToken ct) =>
        ChangeAsync(id, expectedVersion, async o =>
        {
            o.MarkDelivered(actor.Name, clock.GetUtcNow(), links.Feedback);
            await payments.CollectCashOnDeliveryAsync(o, ct);
        }, ct);

    public Task<OrderDto> CompleteAsync(OrderId id, int? expectedVersion, CancellationToken ct) =>
        ChangeAsync(id, expectedVersion, (o, who, now) => o.Complete(who, now), ct);

    private Task<OrderDto> ChangeAsync(OrderId id, int? expectedVersion, Action<Order, string, DateTimeOffset> change, CancellationToken ct) =>
        ChangeAsync(id, expectedVersion, o =>
        {
            change(o, actor.Name, clock.GetUtcNow());
            return Task.CompletedTask;
        }, ct);

    private async Task<OrderDto> ChangeAsync(OrderId id, int? expectedVersion, Func<Order, Task> change, CancellationToken ct) =>
        OrderDto.From(await work.ChangeAsync(async () =>
        {
            var order = await LoadAsync(id, expectedVersion, ct);
            await change(order);
            return order;
        }, ct));

    private async Task<Order> LoadAsync(OrderId id, int? expectedVersion, CancellationToken ct)
    {
        await seen.EnsureOrderAsync(id, ct);
        var order = await db.Orders.SingleOrDefaultAsync(o => o.Id == id, ct) ?? throw new NotFoundException("order", id.Value);
        order.EnsureVersion(expectedVersion);
        return order;
    }

    /// <summary>
    /// Where the goods change hands, for tax: the pickup location's country for an order collected at a store (which
    /// must exist and take pickups), the address's otherwise.
    /// </summary>
    private async Task<string?> TaxCountryAsync(Delivery delivery, Oms.Domain.Common.Address? address, CancellationToken ct)
    {
        if (delivery.Type != DeliveryType.Pickup) return address?.Country;
        var code = delivery.PickupLocation?.Trim();
        if (string.IsNullOrEmpty(code)) return address?.Country; // the order itself says a location is required
        var node = (await nodes.AllAsync(db, [], ct)).FirstOrDefault(n => string.Equals(n.Code, code, StringComparison.OrdinalIgnoreCase));
        if (node is not { CanPickup: true })
            throw new DomainException("order.unknown_pickup_location",
                node is null ? $"No node has the code '{code}'." : $"'{node.Code}' does not hand over orders to customers.", "delivery.pickupLocation");
        return node.Address.Country;
    }

    /// <summary>
    /// What placing an order reads before it writes (<see cref="ICheckoutWriter.ReadAsync"/>): the lines' products
    /// (with every stock row of them when <paramref name="withStock"/>: routing plans its first attempt from them), and
    /// the customer's history for the risk rules.
    /// </summary>
    private async Task<(CheckoutRead Read, CustomerHistory History)> ReadForPlacementAsync(PlaceOrderRequest request, bool withStock,
        DateTimeOffset now, CancellationToken ct)
    {
        var since = now - risk.Settings.VelocityWindow;
        var read = await checkout.ReadAsync(new CheckoutReadRequest(request.Lines.Select(l => l.Sku).Distinct().ToArray(), withStock,
            CustomerEmail.Normalize(request.Customer.Email), request.ClientIp, since,
            request.CustomerId is { } named ? new CustomerId(named) : null), ct);
        return (read, History(read.Recent, read.OrdersFromIp, since));
    }

    private static CustomerHistory History(IReadOnlyList<(long Total, DateTimeOffset CreatedAt)> recent, int byIp, DateTimeOffset since) =>
        recent.Count == 0
            ? new CustomerHistory(0, 0, 0, byIp)
            : new CustomerHistory(recent.Count, recent.Sum(o => o.Total) / recent.Count, recent.Count(o => o.CreatedAt >= since), byIp);

    private async Task<OrderDto?> FindByChannelRefAsync(OrderChannel channel, string reference, CancellationToken ct) =>
        await db.Orders.AsNoTracking().Where(o => o.Channel == channel && o.ChannelOrderRef == reference)
            .Select(o => OrderDto.From(o)).SingleOrDefaultAsync(ct);

    /// <summary>Resolves each line against the catalog: the SKU must exist and be active, the price defaults to the catalog's.</summary>
    private async Task<List<LineItem>> PriceLinesAsync(IReadOnlyList<OrderLineRequest> requested, string currency, CancellationToken ct) =>
        Price(requested, currency, await allocations.ProductsAsync(requested.Select(l => l.Sku), ct));

    private static List<LineItem> Price(IReadOnlyList<OrderLineRequest> requested, string currency, Dictionary<string, ProductTerms> products)
    {
        var errors = new Dictionary<string, string[]>();
        var lines = new List<LineItem>(requested.Count);
        for (var i = 0; i < requested.Count; i++)
        {
            var line = requested[i];
            if (!products.TryGetValue(line.Sku, out var product))
            {
                errors[$"lines[{i}].sku"] = [$"No product has SKU '{line.Sku}'."];
                continue;
            }
            if (!product.Active)
            {
                errors[$"lines[{i}].sku"] = [$"The product '{line.Sku}' is not active and cannot be ordered."];
                continue;
            }
            if (line.UnitPrice is null && product.Currency != currency)
            {
                errors[$"lines[{i}].unitPrice"] = [$"The catalog prices '{line.Sku}' in {product.Currency}, not {currency}: give a unit price."];
                continue;
            }
            lines.Add(new LineItem(line.Sku, product.Name, line.Quantity, line.UnitPrice ?? product.PriceAmount));
        }
        if (errors.Count > 0)
            throw new DomainException("order.invalid_lines", "Some lines cannot be ordered: " + string.Join(" ", errors.Values.SelectMany(v => v)))
            { FieldErrors = errors };
        return lines;
    }

    private static string Reason(string reason) =>
        string.IsNullOrWhiteSpace(reason) ? throw new DomainException("order.reason_required", "Give a reason.", "reason") : reason.Trim();
}
