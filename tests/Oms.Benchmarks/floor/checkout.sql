\set sku random(1, 200)
\set node random(1, 4)
BEGIN;
UPDATE stock SET reserved = reserved + 1 WHERE sku = 'SKU-' || :sku AND node = :node AND on_hand - reserved >= 1;
INSERT INTO orders VALUES (gen_random_uuid(), 'N-' || :client_id || '-' || random(), 'web', 'confirmed', 'buyer' || :sku || '@example.com', 'A Buyer',
  '{"line1":"1 Main St","city":"Lyon","postalCode":"69002","country":"FR"}', 'EUR', 5998, 495, 1299, 7792, 7792, 3, now(), now(), '203.0.113.7');
INSERT INTO order_lines VALUES (gen_random_uuid(), 1, 'SKU-' || :sku, 'A product', 1, 2999), (gen_random_uuid(), 2, 'SKU-7', 'Another', 1, 2999);
INSERT INTO payments VALUES (gen_random_uuid(), gen_random_uuid(), 'bank_transfer', 'captured', 7792, 7792, now());
INSERT INTO routing_decisions VALUES (gen_random_uuid(), gen_random_uuid(), '{"node":1,"reason":"nearest with stock","distanceKm":12.5}', now());
INSERT INTO allocations VALUES (gen_random_uuid(), gen_random_uuid(), :node, 'reserved', '[{"sku":"SKU-1","quantity":1},{"sku":"SKU-7","quantity":1}]', now());
INSERT INTO fulfilment_orders VALUES (gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), :node, 'open', now());
INSERT INTO timeline (order_id, kind, from_status, to_status, at) VALUES (gen_random_uuid(), 'status', null, 'pending', now()), (gen_random_uuid(), 'status', 'pending', 'confirmed', now());
INSERT INTO outbox VALUES
  (gen_random_uuid(), 'order.placed', gen_random_uuid(), '{"id":"x","number":"N-1","status":"pending","total":7792,"currency":"EUR","lines":[{"sku":"SKU-1","quantity":1},{"sku":"SKU-7","quantity":1}]}', now()),
  (gen_random_uuid(), 'payment.captured', gen_random_uuid(), '{"id":"x","amount":7792,"currency":"EUR","status":"captured"}', now()),
  (gen_random_uuid(), 'order.confirmed', gen_random_uuid(), '{"id":"x","from":"pending","to":"confirmed"}', now()),
  (gen_random_uuid(), 'allocation.created', gen_random_uuid(), '{"id":"x","node":"n","status":"reserved"}', now());
INSERT INTO outbox_queue (event_id, pending) VALUES (gen_random_uuid(), true);
COMMIT;
