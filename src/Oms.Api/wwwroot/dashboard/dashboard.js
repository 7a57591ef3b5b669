// The HeadlessOms dashboard: a read-only view built on the report endpoints alone (/api/v1/reports/...).
// The API key lives in this tab's session storage; nothing else is stored.
'use strict';

const KEY = 'oms.reports.key';
const API = '/api/v1/reports';
const $ = (id) => document.getElementById(id);
const charts = {};

// ---- talking to the API ----

class ApiError extends Error {
  constructor(status, problem) {
    super(problem && (problem.detail || problem.title) || `HTTP ${status}`);
    this.status = status;
  }
}

async function api(path, params) {
  const query = new URLSearchParams(Object.entries(params || {}).filter(([, v]) => v !== undefined && v !== null && v !== ''));
  const response = await fetch(`${API}${path}${query.size ? '?' + query : ''}`, {
    headers: { Authorization: `Bearer ${sessionStorage.getItem(KEY)}`, Accept: 'application/json' },
  });
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch { /* not JSON */ }
    throw new ApiError(response.status, problem);
  }
  return response.json();
}

// ---- formatting ----

function digitsOf(currency) {
  try { return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits; } catch { return 2; }
}

function money(m) {
  if (!m) return '–';
  const digits = digitsOf(m.currency);
  return new Intl.NumberFormat('en', { style: 'currency', currency: m.currency, minimumFractionDigits: digits, maximumFractionDigits: digits })
    .format(m.amount / 10 ** digits);
}

const major = (m) => m.amount / 10 ** digitsOf(m.currency);
const number = (n) => new Intl.NumberFormat('en').format(n);
const percent = (r) => (r === null || r === undefined ? '–' : `${(r * 100).toFixed(1)} %`);
const isoDay = (d) => d.toISOString().slice(0, 10);
const addDays = (day, n) => { const d = new Date(`${day}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + n); return isoDay(d); };

function text(tag, content, className) {
  const el = document.createElement(tag);
  el.textContent = content;
  if (className) el.className = className;
  return el;
}

function table(id, header, rows, onClick) {
  const t = $(id);
  t.replaceChildren();
  const head = document.createElement('tr');
  header.forEach(([label, numeric]) => head.append(text('th', label, numeric ? 'num' : '')));
  t.append(head);
  for (const row of rows) {
    const tr = document.createElement('tr');
    row.cells.forEach((cell, i) => tr.append(text('td', cell, header[i][1] ? 'num' : '')));
    if (onClick) { tr.className = 'link'; tr.tabIndex = 0; tr.addEventListener('click', () => onClick(row)); }
    t.append(tr);
  }
  if (rows.length === 0) { const tr = document.createElement('tr'); const td = text('td', 'Nothing in this period.'); td.colSpan = header.length; tr.append(td); t.append(tr); }
}

function kpiCards(container, figures) {
  const box = $(container);
  box.replaceChildren();
  for (const f of figures) {
    const cards = [
      [`Orders (${f.currency})`, number(f.orders)], ['Gross revenue', money(f.gross)], ['Net revenue', money(f.net)],
      ['Average order value', money(f.averageOrderValue)], ['Refunded', money(f.refunded)],
      ['Cancellation rate', percent(f.cancellationRate)], ['Return rate', percent(f.returnRate)],
    ];
    for (const [label, value] of cards) {
      const card = document.createElement('div');
      card.className = 'kpi';
      card.dataset.kpi = `${f.currency}:${label}`;
      card.append(text('div', label, 'label'), text('div', value, 'value'));
      box.append(card);
    }
  }
  if (figures.length === 0) box.append(text('p', 'No orders in this period.', 'note'));
}

function operationCards(o) {
  const box = $('operations');
  box.replaceChildren();
  const hours = (c) => (c.medianHours === null ? '–' : `${c.medianHours} h (p90 ${c.p90Hours} h)`);
  const rate = (r) => (r.rate === null ? '–' : `${percent(r.rate)} of ${number(r.of)}`);
  const cards = [
    ['Order to ship', hours(o.orderToShip)], ['Order to delivery', hours(o.orderToDelivery)],
    ['On-time shipping', rate(o.onTimeShipping)], ['On-time delivery', rate(o.onTimeDelivery)],
    ['Perfect orders', rate(o.perfectOrders.rate)], ['Fill rate', rate(o.fillRate)],
    ['Split shipments', rate(o.splitShipments)], ['Short picks', rate(o.shortPicks)],
    ['Risk holds', rate(o.riskHolds.held)], ['Open backorders', `${number(o.backorders.open)} (${number(o.backorders.units)} units)`],
  ];
  for (const [label, value] of cards) {
    const card = document.createElement('div');
    card.className = 'kpi small';
    card.dataset.kpi = label;
    card.append(text('div', label, 'label'), text('div', value, 'value'));
    box.append(card);
  }
}

function draw(id, config) {
  if (charts[id]) charts[id].destroy();
  config.options = Object.assign({ animation: false, responsive: true, maintainAspectRatio: false }, config.options || {});
  charts[id] = new Chart($(id), config);
}

// ---- the board ----

function period() {
  return {
    from: $('from').value, to: $('to').value, channel: $('channel').value,
    reportingCurrency: $('reporting').value.trim().toUpperCase() || undefined,
  };
}

/** The period and filters plus the currency shown (when amounts are not converted, one currency at a time). */
function scope() {
  const p = period();
  return p.reportingCurrency ? p : Object.assign(p, { currency: $('currency').value || undefined });
}

function entriesOf(list) {
  return list.rankings.length ? list.rankings[0].entries : [];
}

async function salesOverTime(s) {
  // Days, at most 100 to a request: the periods asked for one after the other.
  const days = new Map();
  for (let from = s.from; from <= s.to; from = addDays(from, 100)) {
    const to = addDays(from, 99) < s.to ? addDays(from, 99) : s.to;
    const list = await api('/top/days', Object.assign({}, s, { from, to, limit: 100 }));
    for (const e of entriesOf(list)) days.set(e.key, e);
  }
  const labels = [], gross = [], net = [];
  for (let d = s.from; d <= s.to; d = addDays(d, 1)) {
    const e = days.get(d);
    labels.push(d);
    gross.push(e ? major(e.gross) : 0);
    net.push(e ? major(e.net) : 0);
  }
  draw('sales-chart', {
    type: 'line',
    data: { labels, datasets: [
      { label: 'Gross', data: gross, borderColor: '#2f6fde', backgroundColor: 'rgba(47,111,222,.15)', fill: true, pointRadius: 0, cubicInterpolationMode: 'monotone' },
      { label: 'Net', data: net, borderColor: '#1b9e77', pointRadius: 0, cubicInterpolationMode: 'monotone' },
    ] },
    options: { scales: { y: { beginAtZero: true } } },
  });
}

async function projection(sku) {
  if (!sku) { if (charts['projection-chart']) charts['projection-chart'].destroy(); $('projection-note').textContent = 'No products sold yet.'; return; }
  const answer = await api('/projections', { sku });
  const p = answer.projections[0];
  const history = p.history.slice(-56);
  const labels = history.map((h) => h.date).concat(p.forecast.map((f) => f.date));
  const actual = history.map((h) => h.units).concat(p.forecast.map(() => null));
  const expected = history.map(() => null).concat(p.forecast.map((f) => f.units));
  draw('projection-chart', {
    type: 'line',
    data: { labels, datasets: [
      { label: 'Units sold', data: actual, borderColor: '#2f6fde', pointRadius: 0 },
      { label: 'Expected', data: expected, borderColor: '#d95f02', borderDash: [6, 4], pointRadius: 0 },
    ] },
    options: { scales: { y: { beginAtZero: true } } },
  });
  $('projection-note').textContent =
    `${p.label || p.sku}: ${p.next7Days} units expected in 7 days, ${p.next30Days} in 30, ${p.next90Days} in 90 (${p.method}). ` +
    `${p.onHand - p.reserved} units free, ${p.onOrder} on order; ` +
    (p.stockOutDate ? `runs out on ${p.stockOutDate}. ` : 'lasts the 90 days. ') +
    `Suggested reorder: ${p.suggestedReorderQuantity} units (reorder point ${p.suggestedReorderPoint}).`;
}

async function load() {
  document.body.dataset.state = 'loading';
  $('error').textContent = '';
  try {
    const p = period();
    const all = await api('/kpis', p);
    const select = $('currency');
    const chosen = select.value;
    select.replaceChildren(...all.figures.map((f) => text('option', f.currency)));
    if (all.figures.some((f) => f.currency === chosen)) select.value = chosen;
    select.disabled = !!p.reportingCurrency;
    kpiCards('kpis', all.figures);
    $('board').hidden = false; // charts size themselves to a visible box

    const s = scope();
    const [products, customers, countries, orders, channels, operations] = await Promise.all(
      ['products', 'customers', 'countries', 'orders', 'channels'].map((d) => api(`/top/${d}`, Object.assign({ limit: 10 }, s)))
        .concat([api('/operations', s)]));
    operationCards(operations);
    const top = entriesOf(products);
    draw('products-chart', {
      type: 'bar',
      data: { labels: top.map((e) => e.label || e.key), datasets: [
        { label: 'Gross', data: top.map((e) => major(e.gross)), backgroundColor: '#2f6fde' },
        { label: 'Net', data: top.map((e) => major(e.net)), backgroundColor: '#1b9e77' },
      ] },
      options: { indexAxis: 'y' },
    });
    const byChannel = entriesOf(channels);
    draw('channels-chart', {
      type: 'doughnut',
      data: { labels: byChannel.map((e) => e.key), datasets: [
        { data: byChannel.map((e) => major(e.gross)), backgroundColor: ['#2f6fde', '#1b9e77', '#d95f02', '#7570b3', '#e7298a', '#66a61e'] },
      ] },
    });
    const row = (e, label) => ({ entry: e, cells: [label, number(e.orders), number(e.units), money(e.gross), money(e.net)] });
    const columns = (name) => [[name], ['Orders', true], ['Units', true], ['Gross', true], ['Net', true]];
    table('customers', columns('Customer'), entriesOf(customers).map((e) => row(e, e.label || '(erased)')), (r) => customer(r.entry));
    table('countries', columns('Country'), entriesOf(countries).map((e) => row(e, e.key)));
    table('orders', columns('Order'), entriesOf(orders).map((e) => row(e, e.label || e.key)));
    table('products', columns('Product'), top.map((e) => row(e, `${e.label || e.key} (${e.key})`)));

    const skuSelect = $('projection-sku');
    const skus = top.map((e) => e.key);
    const previous = skuSelect.value;
    skuSelect.replaceChildren(...top.map((e) => { const o = text('option', e.label || e.key); o.value = e.key; return o; }));
    if (skus.includes(previous)) skuSelect.value = previous;
    await Promise.all([salesOverTime(s), projection(skuSelect.value)]);
    document.body.dataset.state = 'ready';
  } catch (e) {
    failed(e);
  }
}

async function customer(entry) {
  document.body.dataset.state = 'loading';
  try {
    const to = $('to').value;
    const s = { customer: entry.key, from: addDays(to, -1829), to, reportingCurrency: period().reportingCurrency };
    $('customer-title').textContent = `${entry.label || '(erased customer)'}: the last five years`;
    const [kpis, orders, products] = await Promise.all([
      api('/kpis', s), api('/top/orders', Object.assign({ limit: 50 }, s)), api('/top/products', Object.assign({ limit: 20 }, s))]);
    kpiCards('customer-kpis', kpis.figures);
    const rows = (list, label) => list.rankings.flatMap((r) => r.entries.map((e) => ({ cells: [label(e), number(e.units), money(e.gross), money(e.net)] })));
    const columns = (name) => [[name], ['Units', true], ['Gross', true], ['Net', true]];
    table('customer-orders', columns('Order'), rows(orders, (e) => e.label || e.key));
    table('customer-products', columns('Product'), rows(products, (e) => e.label || e.key));
    $('board').hidden = true;
    $('customer').hidden = false;
    document.body.dataset.state = 'customer';
  } catch (e) {
    failed(e);
  }
}

function failed(e) {
  if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
    signOut(e.status === 401 ? 'That key was not accepted.' : 'That key lacks the scope reports:read.');
    return;
  }
  $('error').textContent = e.message;
  document.body.dataset.state = 'error';
}

function signOut(message) {
  sessionStorage.removeItem(KEY);
  Object.values(charts).forEach((c) => c.destroy());
  $('board').hidden = true;
  $('customer').hidden = true;
  $('filters').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message || '';
  document.body.dataset.state = 'signed-out';
}

function signedIn() {
  $('login').hidden = true;
  $('filters').hidden = false;
  load();
}

$('login').addEventListener('submit', (e) => {
  e.preventDefault();
  sessionStorage.setItem(KEY, $('key').value.trim());
  $('key').value = '';
  signedIn();
});
$('filters').addEventListener('submit', (e) => { e.preventDefault(); $('customer').hidden = true; load(); });
$('sign-out').addEventListener('click', () => signOut());
$('customer-close').addEventListener('click', () => { $('customer').hidden = true; $('board').hidden = false; document.body.dataset.state = 'ready'; });
$('projection-sku').addEventListener('change', () => projection($('projection-sku').value).catch(failed));

const today = isoDay(new Date());
$('to').value = today;
$('from').value = addDays(today, -29);
if (sessionStorage.getItem(KEY)) signedIn(); else signOut();
