-- Tables of the checkout's shape and width (ids, numbers, money, statuses, times, JSON payloads), with their keys.
CREATE TABLE stock (sku text, node int, on_hand int NOT NULL, reserved int NOT NULL, PRIMARY KEY (sku, node));
INSERT INTO stock SELECT 'SKU-' || s, n, 1000000000, 0 FROM generate_series(1, 200) s, generate_series(1, 4) n;
CREATE TABLE orders (id uuid PRIMARY KEY, number text UNIQUE NOT NULL, channel text, status text, email text, name text,
  address jsonb, currency text, subtotal bigint, shipping bigint, tax bigint, total bigint, paid bigint, version int,
  created_at timestamptz, updated_at timestamptz, client_ip text);
CREATE INDEX ON orders (email, created_at);
CREATE INDEX ON orders (created_at);
CREATE TABLE order_lines (order_id uuid, line int, sku text, name text, quantity int, unit_price bigint, PRIMARY KEY (order_id, line));
CREATE TABLE payments (id uuid PRIMARY KEY, order_id uuid, method text, status text, amount bigint, captured bigint, created_at timestamptz);
CREATE INDEX ON payments (order_id);
CREATE TABLE routing_decisions (id uuid PRIMARY KEY, order_id uuid, plan jsonb, created_at timestamptz);
CREATE TABLE allocations (id uuid PRIMARY KEY, order_id uuid, node int, status text, lines jsonb, created_at timestamptz);
CREATE INDEX ON allocations (order_id);
CREATE TABLE fulfilment_orders (id uuid PRIMARY KEY, order_id uuid, allocation_id uuid, node int, status text, created_at timestamptz);
CREATE INDEX ON fulfilment_orders (order_id);
CREATE TABLE timeline (id bigserial PRIMARY KEY, order_id uuid, kind text, from_status text, to_status text, at timestamptz);
CREATE TABLE outbox (id uuid PRIMARY KEY, type text, aggregate_id uuid, payload jsonb, created_at timestamptz);
CREATE TABLE outbox_queue (id bigserial PRIMARY KEY, event_id uuid, pending bool);
CREATE INDEX ON outbox_queue (id) WHERE pending;
