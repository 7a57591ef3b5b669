using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Oms.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <summary>
        /// Reserves an order's lines, all or none, locking each stock row through its key in (node, SKU) order (sorted
        /// here only when the caller did not send them sorted); raises OMS01 when a row no longer has the stock.
        /// </summary>
        internal const string ReserveStockFunction = """
            CREATE OR REPLACE FUNCTION oms_reserve_stock(p_nodes uuid[], p_skus text[], p_quantities integer[], p_at timestamp with time zone)
            RETURNS integer LANGUAGE plpgsql AS $$
            DECLARE
                n integer := cardinality(p_nodes);
                k integer;
                i integer;
                ord integer[];
            BEGIN
                -- As StockCounters' multi-row reservation: each row locked through its key, in (node, SKU) order.
                FOR k IN 1 .. n - 1 LOOP
                    IF (p_nodes[k], p_skus[k]) >= (p_nodes[k + 1], p_skus[k + 1]) THEN
                        SELECT array_agg(o ORDER BY p_nodes[o], p_skus[o]) INTO ord FROM generate_subscripts(p_nodes, 1) AS o;
                        EXIT;
                    END IF;
                END LOOP;
                FOR k IN 1 .. n LOOP
                    i := COALESCE(ord[k], k);
                    UPDATE stock_items s SET reserved = s.reserved + p_quantities[i], updated_at = p_at
                    WHERE s.node_id = p_nodes[i] AND s.sku = p_skus[i]
                      AND s.available - p_quantities[i] >= GREATEST(COALESCE(s.reorder_point, 0), 1);
                    IF NOT FOUND THEN
                        RAISE EXCEPTION 'The stock of this order''s lines changed since it was read.' USING ERRCODE = 'OMS01';
                    END IF;
                END LOOP;
                RETURN n;
            END $$;
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateSequence(
                name: "order_numbers",
                startValue: 100001L,
                incrementBy: 20);

            migrationBuilder.CreateSequence(
                name: "purchase_order_numbers",
                startValue: 1001L);

            migrationBuilder.CreateTable(
                name: "api_keys",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    hint = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    scopes = table.Column<List<string>>(type: "text[]", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_by = table.Column<Guid>(type: "uuid", nullable: true),
                    version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_api_keys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "fulfilment_nodes",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    address_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    address_company = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    address_line1 = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    address_line2 = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    address_city = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    address_region = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    address_postal_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    address_country = table.Column<string>(type: "character(2)", fixedLength: true, maxLength: 2, nullable: false),
                    address_phone = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    address_latitude = table.Column<double>(type: "double precision", nullable: true),
                    address_longitude = table.Column<double>(type: "double precision", nullable: true),
                    time_zone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    active = table.Column<bool>(type: "boolean", nullable: false),
                    can_ship = table.Column<bool>(type: "boolean", nullable: false),
                    can_pickup = table.Column<bool>(type: "boolean", nullable: false),
                    serves_countries = table.Column<List<string>>(type: "text[]", nullable: false),
                    priority = table.Column<int>(type: "integer", nullable: false),
                    daily_capacity = table.Column<int>(type: "integer", nullable: true),
                    same_day_cutoff = table.Column<TimeOnly>(type: "time without time zone", nullable: true),
                    shipping_cost_base = table.Column<long>(type: "bigint", nullable: false),
                    shipping_cost_per_kg = table.Column<long>(type: "bigint", nullable: false),
                    shipping_cost_per100km = table.Column<long>(type: "bigint", nullable: false),
                    shipping_cost_currency = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_fulfilment_nodes", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "idempotency_keys",
                columns: table => new
                {
                    owner = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    key = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    fingerprint = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    locked_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    resource_id = table.Column<Guid>(type: "uuid", nullable: true),
                    status_code = table.Column<int>(type: "integer", nullable: true),
                    content_type = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    location = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    e_tag = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    body = table.Column<byte[]>(type: "bytea", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_idempotency_keys", x => new { x.owner, x.key });
                });

            migrationBuilder.CreateTable(
                name: "inventory_ledger",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    node_id = table.Column<Guid>(type: "uuid", nullable: false),
                    sku = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    reason = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    on_hand_before = table.Column<int>(type: "integer", nullable: false),
                    on_hand_after = table.Column<int>(type: "integer", nullable: false),
                    reserved_before = table.Column<int>(type: "integer", nullable: false),
                    reserved_after = table.Column<int>(type: "integer", nullable: false),
                    actor = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    reference = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    note = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_inventory_ledger", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "orders",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    number = table.Column<long>(type: "bigint", nullable: false),
                    channel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    channel_order_ref = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    status = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    held_from = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: true),
                    customer_email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    customer_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    customer_phone = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    shipping_address_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    shipping_address_company = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    shipping_address_line1 = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    shipping_address_line2 = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    shipping_address_city = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    shipping_address_region = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    shipping_address_postal_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    shipping_address_country = table.Column<string>(type: "character(2)", fixedLength: true, maxLength: 2, nullable: true),
                    shipping_address_phone = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    shipping_address_latitude = table.Column<double>(type: "double precision", nullable: true),
                    shipping_address_longitude = table.Column<double>(type: "double precision", nullable: true),
                    billing_address_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    billing_address_company = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    billing_address_line1 = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    billing_address_line2 = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    billing_address_city = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    billing_address_region = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    billing_address_postal_code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    billing_address_country = table.Column<string>(type: "character(2)", fixedLength: true, maxLength: 2, nullable: true),
                    billing_address_phone = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    billing_address_latitude = table.Column<double>(type: "double precision", nullable: true),
                    billing_address_longitude = table.Column<double>(type: "double precision", nullable: true),
                    delivery_type = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    delivery_pickup_location = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    priority = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    currency = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: false),
                    subtotal = table.Column<long>(type: "bigint", nullable: false),
                    shipping_total = table.Column<long>(type: "bigint", nullable: false),
                    tax_rate_basis_points = table.Column<int>(type: "integer", nullable: false),
                    tax_total = table.Column<long>(type: "bigint", nullable: false),
                    total = table.Column<long>(type: "bigint", nullable: false),
                    notes = table.Column<string>(type: "character varying(5000)", maxLength: 5000, nullable: true),
                    metadata = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    cancel_reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    client_ip = table.Column<string>(type: "character varying(45)", maxLength: 45, nullable: true),
                    amount_paid = table.Column<long>(type: "bigint", nullable: false),
                    risk_score = table.Column<int>(type: "integer", nullable: false),
                    risk_reasons = table.Column<List<string>>(type: "text[]", nullable: false),
                    delivered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    shipment_issue = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    replacement_for_return_id = table.Column<Guid>(type: "uuid", nullable: true),
                    version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_orders", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    sequence = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    type = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    aggregate_id = table.Column<Guid>(type: "uuid", nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    payload = table.Column<string>(type: "text", nullable: true),
                    payload_from = table.Column<Guid>(type: "uuid", nullable: true),
                    detail = table.Column<string>(type: "text", nullable: true),
                    target_subscription_id = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox_messages", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "outbox_pending",
                columns: table => new
                {
                    position = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    message_ids = table.Column<Guid[]>(type: "uuid[]", nullable: false),
                    aggregate_ids = table.Column<Guid[]>(type: "uuid[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox_pending", x => x.position);
                });

            migrationBuilder.CreateTable(
                name: "processed_provider_events",
                columns: table => new
                {
                    provider = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    event_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_processed_provider_events", x => new { x.provider, x.event_id });
                });

            migrationBuilder.CreateTable(
                name: "products",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    sku = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    brand = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    category = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    price_amount = table.Column<long>(type: "bigint", nullable: false),
                    currency = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: false),
                    weight_grams = table.Column<int>(type: "integer", nullable: false),
                    dimensions_length_mm = table.Column<int>(type: "integer", nullable: true),
                    dimensions_width_mm = table.Column<int>(type: "integer", nullable: true),
                    dimensions_height_mm = table.Column<int>(type: "integer", nullable: true),
                    barcode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    active = table.Column<bool>(type: "boolean", nullable: false),
                    backorder_policy = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    preorder_available_on = table.Column<DateOnly>(type: "date", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_products", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "provider_operations",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    payment_id = table.Column<Guid>(type: "uuid", nullable: false),
                    provider_reference = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    amount = table.Column<long>(type: "bigint", nullable: false),
                    final = table.Column<bool>(type: "boolean", nullable: false),
                    idempotency_key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    locked_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_error = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_provider_operations", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "suppliers",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    lead_time_days = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_suppliers", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "webhook_subscriptions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    url = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    description = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    event_filters = table.Column<List<string>>(type: "text[]", nullable: false),
                    active = table.Column<bool>(type: "boolean", nullable: false),
                    secret = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    previous_secret = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    previous_secret_expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    failing_since = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    disabled_reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhook_subscriptions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "allocations",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    order_id = table.Column<Guid>(type: "uuid", nullable: false),
                    node_id = table.Column<Guid>(type: "uuid", nullable: false),
                    node_code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    decision_id = table.Column<Guid>(type: "uuid", nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    reject_reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    lines = table.Column<string>(type: "text", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_allocations", x => x.id);
                    table.ForeignKey(
                        name: "fk_allocations_orders_order_id",
                        column: x => x.order_id,
                        principalTable: "orders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "backorders",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    order_id = table.Column<Guid>(type: "uuid", nullable: false),
                    order_line_id = table.Column<Guid>(type: "uuid", nullable: false),
                    sku = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    quantity = table.Column<int>(type: "integer", nullable: false),
                    expedited = table.Column<bool>(type: "boolean", nullable: false),
                    order_placed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    policy = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    expected_date = table.Column<DateOnly>(type: "date", nullable: true),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_backorders", x => x.id);
                    table.ForeignKey(
                        name: "fk_backorders_orders_order_id",
                        column: x => x.order_id,
                        principalTable: "orders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "fulfilment_orders",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    allocation_id = table.Column<Guid>(type: "uuid", nullable: false),
                    order_id = table.Column<Guid>(type: "uuid", nullable: false),
                    order_number = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    node_id = table.Column<Guid>(type: "uuid", nullable: false),
                    node_code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    pickup = table.Column<bool>(type: "boolean", nullable: false),
                    expedited = table.Column<bool>(type: "boolean", nullable: false),
                    order_placed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    status_reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    picked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    packed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    shipped_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    lines = table.Column<string>(type: "text", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_fulfilment_orders", x => x.id);
                    table.ForeignKey(
                        name: "fk_fulfilment_orders_orders_order_id",
                        column: x => x.order_id,
                        principalTable: "orders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "order_lines",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    sku = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    quantity = table.Column<int>(type: "integer", nullable: false),
                    unit_price = table.Column<long>(type: "bigint", nullable: false),
                    total = table.Column<long>(type: "bigint", nullable: false),
                    order_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_order_lines", x => x.id);
                    table.ForeignKey(
                        name: "fk_order_lines_orders_order_id",
                        column: x => x.order_id,
                        principalTable: "orders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "order_timeline",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    @event = table.Column<string>(name: "event", type: "character varying(30)", maxLength: 30, nullable: false),
                    from = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: true),
                    to = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    actor = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    order_id = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_order_timeline", x => x.id);
                    table.ForeignKey(
                        name: "fk_order_timeline_orders_order_id",
                        column: x => x.order_id,
                        principalTable: "orders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "payments",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    order_id = table.Column<Guid>(type: "uuid", nullable: false),
                    method = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    status = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    currency = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: false),
                    amount = table.Column<long>(type: "bigint", nullable: false),
                    authorized = table.Column<long>(type: "bigint", nullable: false),
                    captured = table.Column<long>(type: "bigint", nullable: false),
                    refunded = table.Column<long>(type: "bigint", nullable: false),
                    provider_reference = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    due_date = table.Column<DateOnly>(type: "date", nullable: true),
                    failure_reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    capture_pending = table.Column<long>(type: "bigint", nullable: false),
                    multicapture = table.Column<bool>(type: "boolean", nullable: true),
                    provider_failure = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    history = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_payments", x => x.id);
                    table.ForeignKey(
                        name: "fk_payments_orders_order_id",
                        column: x => x.order_id,
                        principalTable: "orders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "returns",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    order_id = table.Column<Guid>(type: "uuid", nullable: false),
                    sequence = table.Column<int>(type: "integer", nullable: false),
                    number = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    comment = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    reject_reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    return_carrier = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    return_tracking_number = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    received_at_node_id = table.Column<Guid>(type: "uuid", nullable: true),
                    received_at_node_code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    currency = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: false),
                    refund_amount = table.Column<long>(type: "bigint", nullable: false),
                    restocking_fee = table.Column<long>(type: "bigint", nullable: false),
                    replacement_order_id = table.Column<Guid>(type: "uuid", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_returns", x => x.id);
                    table.ForeignKey(
                        name: "fk_returns_orders_order_id",
                        column: x => x.order_id,
                        principalTable: "orders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "routing_decisions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    order_id = table.Column<Guid>(type: "uuid", nullable: false),
                    trigger = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    outcome = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    candidates = table.Column<string>(type: "text", nullable: false),
                    @short = table.Column<string>(name: "short", type: "text", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_routing_decisions", x => x.id);
                    table.ForeignKey(
                        name: "fk_routing_decisions_orders_order_id",
                        column: x => x.order_id,
                        principalTable: "orders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "purchase_orders",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    number = table.Column<long>(type: "bigint", nullable: false),
                    supplier_id = table.Column<Guid>(type: "uuid", nullable: false),
                    node_id = table.Column<Guid>(type: "uuid", nullable: false),
                    status = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    created_by_reorder = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_purchase_orders", x => x.id);
                    table.ForeignKey(
                        name: "fk_purchase_orders_fulfilment_nodes_node_id",
                        column: x => x.node_id,
                        principalTable: "fulfilment_nodes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_purchase_orders_suppliers_supplier_id",
                        column: x => x.supplier_id,
                        principalTable: "suppliers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "stock_items",
                columns: table => new
                {
                    node_id = table.Column<Guid>(type: "uuid", nullable: false),
                    sku = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    on_hand = table.Column<int>(type: "integer", nullable: false),
                    reserved = table.Column<int>(type: "integer", nullable: false),
                    safety_stock = table.Column<int>(type: "integer", nullable: false),
                    reorder_point = table.Column<int>(type: "integer", nullable: true),
                    reorder_quantity = table.Column<int>(type: "integer", nullable: true),
                    supplier_id = table.Column<Guid>(type: "uuid", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    available = table.Column<int>(type: "integer", nullable: false, computedColumnSql: "on_hand - reserved - safety_stock", stored: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_stock_items", x => new { x.node_id, x.sku });
                    table.CheckConstraint("ck_stock_items_reserved_within_on_hand", "reserved >= 0 AND reserved <= on_hand");
                    table.ForeignKey(
                        name: "fk_stock_items_fulfilment_nodes_node_id",
                        column: x => x.node_id,
                        principalTable: "fulfilment_nodes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_stock_items_suppliers_supplier_id",
                        column: x => x.supplier_id,
                        principalTable: "suppliers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "webhook_deliveries",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    subscription_id = table.Column<Guid>(type: "uuid", nullable: false),
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    message_sequence = table.Column<long>(type: "bigint", nullable: false),
                    event_type = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    ordering_key = table.Column<Guid>(type: "uuid", nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    locked_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    claim_token = table.Column<Guid>(type: "uuid", nullable: true),
                    last_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_status_code = table.Column<int>(type: "integer", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhook_deliveries", x => x.id);
                    table.ForeignKey(
                        name: "fk_webhook_deliveries_webhook_subscriptions_subscription_id",
                        column: x => x.subscription_id,
                        principalTable: "webhook_subscriptions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "packages",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    weight_grams = table.Column<int>(type: "integer", nullable: false),
                    length_mm = table.Column<int>(type: "integer", nullable: false),
                    width_mm = table.Column<int>(type: "integer", nullable: false),
                    height_mm = table.Column<int>(type: "integer", nullable: false),
                    dimensional_weight_grams = table.Column<int>(type: "integer", nullable: false),
                    billable_weight_grams = table.Column<int>(type: "integer", nullable: false),
                    fulfilment_order_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_packages", x => x.id);
                    table.ForeignKey(
                        name: "fk_packages_fulfilment_orders_fulfilment_order_id",
                        column: x => x.fulfilment_order_id,
                        principalTable: "fulfilment_orders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "shipments",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    order_id = table.Column<Guid>(type: "uuid", nullable: false),
                    order_number = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    fulfilment_order_id = table.Column<Guid>(type: "uuid", nullable: false),
                    node_code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    carrier = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    service = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    tracking_number = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    tracking_url = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    status = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    status_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    delivered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_shipments", x => x.id);
                    table.ForeignKey(
                        name: "fk_shipments_fulfilment_orders_fulfilment_order_id",
                        column: x => x.fulfilment_order_id,
                        principalTable: "fulfilment_orders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_shipments_orders_order_id",
                        column: x => x.order_id,
                        principalTable: "orders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "return_lines",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    order_line_id = table.Column<Guid>(type: "uuid", nullable: false),
                    sku = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    quantity = table.Column<int>(type: "integer", nullable: false),
                    reason = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    comment = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    disposition = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    inspection_note = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    return_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_return_lines", x => x.id);
                    table.ForeignKey(
                        name: "fk_return_lines_returns_return_id",
                        column: x => x.return_id,
                        principalTable: "returns",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "purchase_order_lines",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    sku = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    quantity = table.Column<int>(type: "integer", nullable: false),
                    received = table.Column<int>(type: "integer", nullable: false),
                    purchase_order_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_purchase_order_lines", x => x.id);
                    table.ForeignKey(
                        name: "fk_purchase_order_lines_purchase_orders_purchase_order_id",
                        column: x => x.purchase_order_id,
                        principalTable: "purchase_orders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "webhook_attempts",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    delivery_id = table.Column<Guid>(type: "uuid", nullable: false),
                    number = table.Column<int>(type: "integer", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    status_code = table.Column<int>(type: "integer", nullable: true),
                    latency_ms = table.Column<int>(type: "integer", nullable: false),
                    response_excerpt = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    error = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhook_attempts", x => x.id);
                    table.ForeignKey(
                        name: "fk_webhook_attempts_webhook_deliveries_delivery_id",
                        column: x => x.delivery_id,
                        principalTable: "webhook_deliveries",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "tracking_events",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    status = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    carrier_code = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    description = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    location = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    external_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    shipment_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tracking_events", x => x.id);
                    table.ForeignKey(
                        name: "fk_tracking_events_shipments_shipment_id",
                        column: x => x.shipment_id,
                        principalTable: "shipments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_allocations_node_id_created_at",
                table: "allocations",
                columns: new[] { "node_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_allocations_order_id",
                table: "allocations",
                column: "order_id");

            migrationBuilder.CreateIndex(
                name: "ix_api_keys_hash",
                table: "api_keys",
                column: "hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_backorders_order_id",
                table: "backorders",
                column: "order_id");

            migrationBuilder.CreateIndex(
                name: "ix_backorders_sku_status",
                table: "backorders",
                columns: new[] { "sku", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_fulfilment_nodes_code",
                table: "fulfilment_nodes",
                column: "code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_fulfilment_orders_allocation_id",
                table: "fulfilment_orders",
                column: "allocation_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_fulfilment_orders_node_id_status_order_placed_at",
                table: "fulfilment_orders",
                columns: new[] { "node_id", "status", "order_placed_at" });

            migrationBuilder.CreateIndex(
                name: "ix_fulfilment_orders_order_id",
                table: "fulfilment_orders",
                column: "order_id");

            migrationBuilder.CreateIndex(
                name: "ix_idempotency_keys_created_at",
                table: "idempotency_keys",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_inventory_ledger_sku_node_id_id",
                table: "inventory_ledger",
                columns: new[] { "sku", "node_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_order_lines_order_id",
                table: "order_lines",
                column: "order_id");

            migrationBuilder.CreateIndex(
                name: "ix_order_lines_sku",
                table: "order_lines",
                column: "sku");

            migrationBuilder.CreateIndex(
                name: "ix_order_timeline_order_id_at",
                table: "order_timeline",
                columns: new[] { "order_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_orders_channel_channel_order_ref",
                table: "orders",
                columns: new[] { "channel", "channel_order_ref" },
                unique: true,
                filter: "channel_order_ref IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_orders_client_ip_created_at",
                table: "orders",
                columns: new[] { "client_ip", "created_at" },
                filter: "client_ip IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_orders_created_at",
                table: "orders",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_orders_number",
                table: "orders",
                column: "number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_orders_replacement_for_return_id",
                table: "orders",
                column: "replacement_for_return_id",
                filter: "replacement_for_return_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_orders_status",
                table: "orders",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "ix_packages_fulfilment_order_id",
                table: "packages",
                column: "fulfilment_order_id");

            migrationBuilder.CreateIndex(
                name: "ix_payments_order_id",
                table: "payments",
                column: "order_id");

            migrationBuilder.CreateIndex(
                name: "ix_payments_provider_reference",
                table: "payments",
                column: "provider_reference");

            migrationBuilder.CreateIndex(
                name: "ix_products_brand",
                table: "products",
                column: "brand");

            migrationBuilder.CreateIndex(
                name: "ix_products_category",
                table: "products",
                column: "category");

            migrationBuilder.CreateIndex(
                name: "ix_products_sku",
                table: "products",
                column: "sku",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_provider_operations_next_attempt_at",
                table: "provider_operations",
                column: "next_attempt_at",
                filter: "status = 'Pending'");

            migrationBuilder.CreateIndex(
                name: "ix_provider_operations_payment_id",
                table: "provider_operations",
                column: "payment_id");

            migrationBuilder.CreateIndex(
                name: "ix_purchase_order_lines_purchase_order_id",
                table: "purchase_order_lines",
                column: "purchase_order_id");

            migrationBuilder.CreateIndex(
                name: "ix_purchase_orders_node_id",
                table: "purchase_orders",
                column: "node_id");

            migrationBuilder.CreateIndex(
                name: "ix_purchase_orders_number",
                table: "purchase_orders",
                column: "number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_purchase_orders_supplier_id_node_id_status",
                table: "purchase_orders",
                columns: new[] { "supplier_id", "node_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_return_lines_return_id",
                table: "return_lines",
                column: "return_id");

            migrationBuilder.CreateIndex(
                name: "ix_returns_created_at",
                table: "returns",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_returns_number",
                table: "returns",
                column: "number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_returns_order_id_sequence",
                table: "returns",
                columns: new[] { "order_id", "sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_routing_decisions_order_id_at",
                table: "routing_decisions",
                columns: new[] { "order_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_shipments_carrier_tracking_number",
                table: "shipments",
                columns: new[] { "carrier", "tracking_number" });

            migrationBuilder.CreateIndex(
                name: "ix_shipments_fulfilment_order_id",
                table: "shipments",
                column: "fulfilment_order_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_shipments_order_id",
                table: "shipments",
                column: "order_id");

            migrationBuilder.CreateIndex(
                name: "ix_stock_items_sku",
                table: "stock_items",
                column: "sku");

            migrationBuilder.CreateIndex(
                name: "ix_stock_items_supplier_id",
                table: "stock_items",
                column: "supplier_id");

            migrationBuilder.CreateIndex(
                name: "ix_suppliers_code",
                table: "suppliers",
                column: "code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_tracking_events_shipment_id",
                table: "tracking_events",
                column: "shipment_id");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_attempts_delivery_id",
                table: "webhook_attempts",
                column: "delivery_id");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_claim_token",
                table: "webhook_deliveries",
                column: "claim_token");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_next_attempt_at_message_sequence",
                table: "webhook_deliveries",
                columns: new[] { "next_attempt_at", "message_sequence" },
                filter: "status = 'Pending'");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_subscription_id_message_id",
                table: "webhook_deliveries",
                columns: new[] { "subscription_id", "message_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_subscription_id_ordering_key_message_seq",
                table: "webhook_deliveries",
                columns: new[] { "subscription_id", "ordering_key", "message_sequence" },
                filter: "status = 'Pending'");

            // A customer's latest orders for the risk rules (WHERE customer_email = … ORDER BY created_at DESC LIMIT 50):
            // over the owned customer's column, so written here rather than in the model.
            migrationBuilder.Sql("CREATE INDEX ix_orders_customer_email_created_at ON orders (customer_email, created_at);");

            // The checkout's reservation, sent with its write (FastPath/FastCheckoutWriter.ReserveWithSave): refuses with OMS01.
            migrationBuilder.Sql(ReserveStockFunction);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX ix_orders_customer_email_created_at;");
            migrationBuilder.Sql("DROP FUNCTION oms_reserve_stock(uuid[], text[], integer[], timestamp with time zone);");

            migrationBuilder.DropTable(
                name: "allocations");

            migrationBuilder.DropTable(
                name: "api_keys");

            migrationBuilder.DropTable(
                name: "backorders");

            migrationBuilder.DropTable(
                name: "idempotency_keys");

            migrationBuilder.DropTable(
                name: "inventory_ledger");

            migrationBuilder.DropTable(
                name: "order_lines");

            migrationBuilder.DropTable(
                name: "order_timeline");

            migrationBuilder.DropTable(
                name: "outbox_messages");

            migrationBuilder.DropTable(
                name: "outbox_pending");

            migrationBuilder.DropTable(
                name: "packages");

            migrationBuilder.DropTable(
                name: "payments");

            migrationBuilder.DropTable(
                name: "processed_provider_events");

            migrationBuilder.DropTable(
                name: "products");

            migrationBuilder.DropTable(
                name: "provider_operations");

            migrationBuilder.DropTable(
                name: "purchase_order_lines");

            migrationBuilder.DropTable(
                name: "return_lines");

            migrationBuilder.DropTable(
                name: "routing_decisions");

            migrationBuilder.DropTable(
                name: "stock_items");

            migrationBuilder.DropTable(
                name: "tracking_events");

            migrationBuilder.DropTable(
                name: "webhook_attempts");

            migrationBuilder.DropTable(
                name: "purchase_orders");

            migrationBuilder.DropTable(
                name: "returns");

            migrationBuilder.DropTable(
                name: "shipments");

            migrationBuilder.DropTable(
                name: "webhook_deliveries");

            migrationBuilder.DropTable(
                name: "fulfilment_nodes");

            migrationBuilder.DropTable(
                name: "suppliers");

            migrationBuilder.DropTable(
                name: "fulfilment_orders");

            migrationBuilder.DropTable(
                name: "webhook_subscriptions");

            migrationBuilder.DropTable(
                name: "orders");

            migrationBuilder.DropSequence(
                name: "order_numbers");

            migrationBuilder.DropSequence(
                name: "purchase_order_numbers");
        }
    }
}
