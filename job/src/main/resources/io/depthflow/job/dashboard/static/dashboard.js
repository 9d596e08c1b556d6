// The depthflow dashboard: fetches /api/* every few seconds and draws what ClickHouse returned.
// Every number comes from the server's queries (DashboardQueries); this script only lays it out
// and plots it. Each number carries data- attributes (market, venue, field, side, notional,
// window, value = the exact decimal text) for tests and users' scripts.
(function () {
  'use strict';
  const REFRESH_MS = 3000;
  const COLORS = { all: '#d62728', coinbase: '#1f77b4', kraken: '#9467bd', bitstamp: '#2ca02c', gemini: '#17becf', bitfinex: '#bcbd22' };
  const BID = '#2a9d3a', ASK = '#d1495b';
  const NOTIONALS = [50000, 100000];
  const SIDES = ['buy', 'sell'];
  const marketSel = document.getElementById('market');
  const rangeSel = document.getElementById('range');
  const statusEl = document.getElementById('status');
  const charts = {};
  let busy = false;

  function color(v) { return COLORS[v] || '#555'; }
  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const k in attrs || {}) { if (attrs[k] !== undefined && attrs[k] !== null) e.setAttribute(k, attrs[k]); }
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function utc(ms) { return new Date(ms).toISOString().replace('T', ' ').replace(/:\d\d\.\d+Z$/, ''); }
  function utcSec(ms) { return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ''); }
  async function get(path) {
    const r = await fetch(path, { cache: 'no-store' });
    if (!r.ok) { throw new Error(path + ': HTTP ' + r.status); }
    return r.json();
  }

  // A uPlot chart in `id`, replaced when its series change; `data-points` counts the non-null values drawn.
  function plot(id, container, opts, data) {
    const points = data.slice(1).reduce((n, s) => n + s.filter(v => v !== null && v !== undefined).length, 0);
    container.setAttribute('data-points', String(points));
    // and per series (data-points-coinbase, ...): where venues agree their lines overlap, and a
    // series hidden under another has still been drawn
    opts.series.slice(1).forEach((s, i) => container.setAttribute('data-points-' + String(s.label).toLowerCase().replace(/[^a-z0-9]+/g, '-'),
        String(data[i + 1].filter(v => v !== null && v !== undefined).length)));
    const key = opts.series.map(s => s.label).join('|');
    let c = charts[id];
    if (c && c.key === key && c.el === container) {
      c.u.setData(data);
      return;
    }
    if (c) { c.u.destroy(); }
    container.innerHTML = '';
    opts.width = Math.max(300, container.clientWidth || 500);
    opts.height = opts.height || 220;
    opts.tzDate = ts => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC');
    charts[id] = { key: key, el: container, u: new uPlot(opts, data, container) };
  }

  async function loadMarkets() {
    const rows = await get('api/markets');
    const current = marketSel.value;
    const names = rows.map(r => r.market);
    if (names.join() === Array.from(marketSel.options).map(o => o.value).join()) { return; }
    marketSel.innerHTML = '';
    names.forEach(m => marketSel.appendChild(el('option', { value: m }, m)));
    if (names.includes(current)) { marketSel.value = current; }
  }

  function drawDepth(market, depth) {
    const box = document.getElementById('depth-charts');
    // the venues, then the consolidated book ('all')
    const venues = [...new Set(depth.map(r => r.exchange))].sort((a, b) => (a === 'all') - (b === 'all') || a.localeCompare(b));
    Array.from(box.children).forEach(ch => { if (!venues.includes(ch.getAttribute('data-venue'))) { box.removeChild(ch); } });
    venues.forEach(v => {
      let c = box.querySelector('[data-venue="' + v + '"]');
      if (!c) {
        c = el('div', { 'class': 'chart', 'data-chart': 'depth', 'data-venue': v });
        c.appendChild(el('h3', {}, v === 'all' ? 'consolidated (all venues)' : v));
        c.appendChild(el('div', { 'class': 'plot' }));
        box.appendChild(c);
      }
      c.setAttribute('data-market', market);
      const bid = depth.find(r => r.exchange === v && r.side === 'bid') || { prices: [], cumulative: [] };
      const ask = depth.find(r => r.exchange === v && r.side === 'ask') || { prices: [], cumulative: [] };
      // one x axis (price, ascending): bids from the lowest level up to the best, asks from the best out
      const pts = [];
      bid.prices.forEach((p, i) => pts.push([Number(p), Number(bid.cumulative[i]), null]));
      ask.prices.forEach((p, i) => pts.push([Number(p), null, Number(ask.cumulative[i])]));
      pts.sort((a, b) => a[0] - b[0]);
      const data = [pts.map(p => p[0]), pts.map(p => p[1]), pts.map(p => p[2])];
      c.setAttribute('data-time', String(Math.max(bid.received_at || 0, ask.received_at || 0)));
      plot('depth-' + v, c.querySelector('.plot'), {
        width: 420, height: 200, scales: { x: { time: false } },
        series: [{ label: 'price' },
          { label: 'bids', stroke: BID, fill: 'rgba(42,157,58,0.15)', paths: uPlot.paths.stepped({ align: -1 }) },
          { label: 'asks', stroke: ASK, fill: 'rgba(209,73,91,0.15)', paths: uPlot.paths.stepped({ align: 1 }) }],
        axes: [{}, { size: 70 }]
      }, data);
    });
  }

  function timeSeries(rows, valueOf, venues) {
    const xs = [...new Set(rows.map(r => r.window))].sort((a, b) => a - b);
    // missing minutes stay gaps: a null at each minute between the first and the last without a row
    const all = [];
    if (xs.length) { for (let t = xs[0]; t <= xs[xs.length - 1]; t += 60000) { all.push(t); } }
    const data = [all.map(t => t / 1000)];
    venues.forEach(v => {
      const byT = new Map(rows.filter(r => r.exchange === v).map(r => [r.window, valueOf(r)]));
      data.push(all.map(t => byT.has(t) ? byT.get(t) : null));
    });
    return data;
  }

  function drawMids(market, mids) {
    const venues = [...new Set(mids.map(r => r.exchange))].sort((a, b) => (a === 'all') - (b === 'all') || a.localeCompare(b));
    const c = document.getElementById('mid-chart');
    c.setAttribute('data-market', market);
    plot('mid', c, {
      series: [{ label: 'minute (UTC)' }].concat(venues.map(v => ({ label: v, stroke: color(v), width: v === 'all' ? 2 : 1.5, points: { show: true, size: 4 } }))),
      axes: [{}, { size: 80 }]
    }, timeSeries(mids, r => Number(r.mid), venues));
  }

  function drawSpread(market, spread, slippage) {
    const venues = [...new Set(spread.map(r => r.exchange))].sort();
    const c = document.getElementById('spread-chart');
    c.setAttribute('data-market', market);
    plot('spread', c, {
      series: [{ label: 'minute (UTC)' }].concat(venues.map(v => ({ label: v, stroke: color(v), width: 1.5, points: { show: true, size: 4 } }))),
      axes: [{}, { size: 50 }]
    }, timeSeries(spread, r => r.spread_bps, venues));
    const t = document.getElementById('slippage');
    t.tHead.innerHTML = '<tr><th>venue</th><th>side</th><th>notional</th><th>avg price</th><th>slippage (bps)</th></tr>';
    const body = t.tBodies[0];
    body.innerHTML = '';
    slippage.forEach(r => {
      const tr = el('tr');
      tr.appendChild(el('td', {}, r.exchange));
      tr.appendChild(el('td', {}, r.side));
      tr.appendChild(el('td', {}, '$' + r.notional));
      const a = { 'data-market': market, 'data-venue': r.exchange, 'data-side': r.side, 'data-notional': r.notional, 'data-window': r.window };
      tr.appendChild(el('td', Object.assign({ 'data-field': 'quote-avg-price', 'data-value': r.avg_price }, a), r.avg_price_display));
      tr.appendChild(el('td', Object.assign({ 'data-field': 'slippage-bps', 'data-value': r.slippage_bps, 'data-complete': r.complete }, a), r.complete ? Number(r.slippage_bps).toFixed(2) : 'incomplete'));
      body.appendChild(tr);
    });
  }

  function drawMinutes(market, mids, best) {
    const venues = [...new Set(mids.map(r => r.exchange))].sort((a, b) => (a === 'all') - (b === 'all') || a.localeCompare(b));
    const windows = [...new Set(mids.map(r => r.window).concat(best.map(r => r.window)))].sort((a, b) => b - a).slice(0, 15);
    const t = document.getElementById('minutes');
    const head = el('tr');
    head.appendChild(el('th', {}, 'minute (UTC)'));
    venues.forEach(v => head.appendChild(el('th', {}, v + ' mid')));
    SIDES.forEach(s => NOTIONALS.forEach(n => head.appendChild(el('th', {}, 'best $' + (n / 1000) + 'k ' + s))));
    t.tHead.innerHTML = '';
    t.tHead.appendChild(head);
    const body = t.tBodies[0];
    body.innerHTML = '';
    windows.forEach(w => {
      const tr = el('tr', { 'data-window': w, 'data-market': market });
      tr.appendChild(el('td', { 'data-field': 'window', 'data-value': w }, utc(w)));
      venues.forEach(v => {
        const r = mids.find(m => m.window === w && m.exchange === v);
        const partial = r && r.book_status && r.book_status !== 'ok';
        tr.appendChild(r
          ? el('td', { 'class': partial ? 'partial' : null, 'title': r.book_status + ', ' + r.samples + ' samples', 'data-market': market, 'data-venue': v,
              'data-field': 'mid', 'data-window': w, 'data-value': r.mid, 'data-status': r.book_status, 'data-samples': r.samples }, r.mid_display)
          : el('td', { 'data-market': market, 'data-venue': v, 'data-field': 'mid', 'data-window': w, 'data-missing': 'true' }, '—'));
      });
      SIDES.forEach(s => NOTIONALS.forEach(n => {
        const r = best.find(b => b.window === w && b.side === s && b.notional === n);
        const td = el('td', { 'data-market': market, 'data-field': 'best', 'data-side': s, 'data-notional': n, 'data-window': w });
        if (r) {
          td.appendChild(el('span', { 'data-market': market, 'data-field': 'best-venue', 'data-side': s, 'data-notional': n, 'data-window': w, 'data-value': r.exchange }, r.exchange));
          td.appendChild(document.createTextNode(' @ '));
          td.appendChild(el('span', { 'data-market': market, 'data-venue': r.exchange, 'data-field': 'best-avg-price', 'data-side': s, 'data-notional': n, 'data-window': w, 'data-value': r.avg_price }, r.avg_price_display));
        } else {
          td.textContent = '—';
        }
        tr.appendChild(td);
      }));
      body.appendChild(tr);
    });
    // the winning venue of a $50k buy, minute by minute (oldest first)
    const tl = document.getElementById('winner-timeline');
    tl.innerHTML = '';
    tl.setAttribute('data-market', market);
    best.filter(r => r.side === 'buy' && r.notional === 50000).forEach(r => {
      tl.appendChild(el('span', { 'class': 'venue-' + r.exchange, 'title': utc(r.window) + ' best $50k buy: ' + r.exchange + ' @ ' + r.avg_price_display,
        'data-market': market, 'data-field': 'winner', 'data-side': 'buy', 'data-notional': 50000, 'data-window': r.window, 'data-value': r.exchange }));
    });
  }

  function drawHealth(market, h) {
    const body = document.querySelector('#health tbody');
    body.innerHTML = '';
    const venues = [...new Set(h.venues.map(r => r.exchange).concat(h.errorCounts.map(r => r.exchange)))].sort();
    venues.forEach(v => {
      const r = h.venues.find(x => x.exchange === v);
      const tr = el('tr', { 'data-market': market, 'data-venue': v });
      tr.appendChild(el('td', {}, v));
      tr.appendChild(el('td', { 'data-market': market, 'data-venue': v, 'data-field': 'last-data', 'data-value': r ? r.last_data : null }, r ? utcSec(r.last_data) : '—'));
      tr.appendChild(el('td', { 'class': r && r.book_status === 'ok' ? 'status-ok' : 'status-bad', 'data-market': market, 'data-venue': v, 'data-field': 'book-status', 'data-value': r ? r.book_status : null }, r ? r.book_status : '—'));
      const td = el('td');
      const counts = h.errorCounts.filter(x => x.exchange === v);
      if (!counts.length) { td.textContent = 'none'; }
      counts.forEach((x, i) => {
        if (i) { td.appendChild(document.createTextNode(', ')); }
        td.appendChild(el('span', { 'data-market': market, 'data-venue': v, 'data-field': 'error-count', 'data-error-type': x.error_type, 'data-value': x.errors }, x.error_type + ' ' + x.errors));
      });
      tr.appendChild(td);
      body.appendChild(tr);
    });
    const ul = document.getElementById('latest-errors');
    ul.innerHTML = '';
    h.latestErrors.forEach(e => ul.appendChild(el('li', { 'data-market': market, 'data-venue': e.exchange, 'data-field': 'latest-error', 'data-error-type': e.error_type, 'data-time': e.received_at },
      utcSec(e.received_at) + ' ' + e.exchange + ' ' + e.error_type + ': ' + e.error)));
  }

  async function refresh() {
    if (busy) { return; }
    busy = true;
    try {
      await loadMarkets();
      const market = marketSel.value;
      if (market) {
        const q = 'market=' + encodeURIComponent(market) + '&minutes=' + rangeSel.value;
        const [o, h] = await Promise.all([get('api/overview?' + q), get('api/health?' + q)]);
        if (o.market === marketSel.value) {
          drawDepth(market, o.depth);
          drawMids(market, o.mids);
          drawMinutes(market, o.mids, o.best);
          drawSpread(market, o.spread, o.slippage);
          drawHealth(market, h);
          document.body.setAttribute('data-market', market);
        }
      }
      statusEl.textContent = market ? 'updated ' + new Date().toLocaleTimeString() : 'waiting for the first minute…';
      statusEl.setAttribute('data-value', 'ok');
    } catch (e) {
      statusEl.textContent = 'refresh failed: ' + e.message;
      statusEl.setAttribute('data-value', 'error');
    } finally {
      busy = false;
    }
  }

  marketSel.addEventListener('change', refresh);
  rangeSel.addEventListener('change', refresh);
  refresh();
  setInterval(refresh, REFRESH_MS);
})();
