// The finance officer's page: reads the admin API (/api/v1) with the API key typed at login.
// No framework and no build step; the key lives in sessionStorage and leaves only as a Bearer header.
'use strict';
(function () {
  const KEY = 'assemblypay.dashboard.apiKey';
  const CODE = 'assemblypay.dashboard.assembly';
  // Pages of the arrears-by-market report read before the chart is drawn (200 markets a page).
  const MAX_MARKET_PAGES = 10;
  const PENDING_SHOWN = 10;
  const SVG = 'http://www.w3.org/2000/svg';
  const $ = (id) => document.getElementById(id);

  class ApiError extends Error {
    constructor(status, code, message, details) {
      super(message || ('HTTP ' + status));
      this.status = status;
      this.code = code || '';
      this.details = details || {};
    }
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  async function api(path) {
    for (let attempt = 0; ; attempt++) {
      let res;
      try {
        res = await fetch('/api/v1' + path, {
          headers: { Authorization: 'Bearer ' + sessionStorage.getItem(KEY), Accept: 'application/json' },
          cache: 'no-store',
        });
      } catch (e) {
        throw new ApiError(0, 'unreachable', 'The gateway did not answer. Check your connection and try again.');
      }
      let body = null;
      try {
        body = await res.json();
      } catch (e) {
        body = null;
      }
      if (res.ok) {
        return body;
      }
      const problem = body || {};
      if (res.status === 429 && attempt < 5) {
        const seconds = Number((problem.details || {}).retryAfterSeconds) || 1;
        await sleep(seconds * 1000);
        continue;
      }
      throw new ApiError(res.status, problem.code, problem.message, problem.details);
    }
  }

  function ghs(pesewas) {
    const n = Number(pesewas) || 0;
    return 'GHS ' + (n / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  function daysBefore(isoDay, days) {
    const d = new Date(isoDay + 'T00:00:00Z');
    d.setUTCDate(d.getUTCDate() - days);
    return d.toISOString().slice(0, 10);
  }

  function todayIn(timeZone) {
    // en-CA formats as YYYY-MM-DD, the API's date form.
    return new Intl.DateTimeFormat('en-CA', {
      timeZone: timeZone || 'Africa/Accra', year: 'numeric', month: '2-digit', day: '2-digit',
    }).format(new Date());
  }

  function el(tag, text, className) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) {
      e.textContent = text;
    }
    if (className) {
      e.className = className;
    }
    return e;
  }

  function show(id, visible) {
    $(id).hidden = !visible;
  }

  function loginMessage(err, code) {
    switch (err.status) {
      case 401: return 'That API key was not accepted. Check the key and try again.';
      case 403: return 'This API key is not for assembly ' + code + '.';
      case 404: return 'There is no assembly ' + code + '.';
      case 400: return 'That is not an assembly code (letters and digits, e.g. AMA).';
      case 0: return err.message;
      default: return 'The gateway refused the login (' + err.status + '): ' + err.message;
    }
  }

  async function login(event) {
    event.preventDefault();
    const key = $('api-key').value.trim();
    const code = $('assembly-code').value.trim().toUpperCase();
    show('login-error', false);
    if (!key || !code) {
      return;
    }
    sessionStorage.setItem(KEY, key);
    sessionStorage.setItem(CODE, code);
    $('login-button').disabled = true;
    try {
      const me = await api('/me');
      if (!me.platformWide && me.assembly !== code) {
        throw new ApiError(403, 'other_assembly', 'This API key is not for that assembly.');
      }
      const assembly = await api('/assemblies/' + encodeURIComponent(code));
      $('api-key').value = '';
      enter(assembly, me);
    } catch (err) {
      sessionStorage.removeItem(KEY);
      $('login-error').textContent = loginMessage(err, code);
      show('login-error', true);
      document.body.dataset.state = 'refused';
    } finally {
      $('login-button').disabled = false;
    }
  }

  function logout() {
    sessionStorage.removeItem(KEY);
    show('dashboard', false);
    show('who', false);
    show('login', true);
    document.body.dataset.state = 'login';
  }

  let current = null;

  function enter(assembly, me) {
    current = assembly;
    $('assembly-name').textContent = assembly.name + ' (' + assembly.code + ')';
    $('caller').textContent = me.name + ', ' + me.role + (me.permissions.includes('write') ? '' : ' (read-only)');
    show('login', false);
    show('who', true);
    show('dashboard', true);
    refresh();
  }

  async function refresh() {
    const code = encodeURIComponent(current.code);
    const day = todayIn(current.timeZone);
    document.body.dataset.state = 'loading';
    show('load-error', false);
    $('as-of').textContent = 'Business day ' + day + ' (' + (current.timeZone || 'Africa/Accra') + '), loaded '
      + new Date().toLocaleTimeString('en-GB') + '.';
    const parts = [
      loadCollections(code, day),
      loadCollectors(code, day),
      loadArrears(code),
      loadPending(code, day),
      loadSms(code, day),
      loadUssd(code, day),
      api('/assemblies/' + code + '/reversals').then((r) => { $('pending-reversals').textContent = String(r.length); }),
    ];
    const outcomes = await Promise.allSettled(parts);
    const failed = outcomes.filter((o) => o.status === 'rejected').map((o) => o.reason);
    if (failed.some((e) => e.status === 401)) {
      logout();
      $('login-error').textContent = 'Your API key is no longer accepted; log in again.';
      show('login-error', true);
      return;
    }
    if (failed.length > 0) {
      $('load-error').textContent = 'Some figures could not be loaded: ' + failed.map((e) => e.message).join('; ');
      show('load-error', true);
    }
    document.body.dataset.state = failed.length > 0 ? 'partial' : 'ready';
  }

  async function loadCollections(code, day) {
    const rows = await api('/assemblies/' + code + '/collections?day=' + day);
    const tbody = $('collections-table').querySelector('tbody');
    tbody.replaceChildren();
    let momo = 0;
    let cash = 0;
    let count = 0;
    for (const r of rows) {
      momo += r.mobileMoneyPesewas;
      cash += r.cashPesewas;
      count += r.paymentCount;
      const tr = el('tr');
      tr.append(
        el('td', r.marketName),
        el('td', ghs(r.mobileMoneyPesewas), 'num'),
        el('td', ghs(r.cashPesewas), 'num'),
        el('td', String(r.paymentCount), 'num'),
        el('td', ghs(r.mobileMoneyPesewas + r.cashPesewas), 'num'));
      tbody.append(tr);
    }
    if (rows.length === 0) {
      const tr = el('tr');
      const td = el('td', 'No money received yet today.');
      td.colSpan = 5;
      tr.append(td);
      tbody.append(tr);
    }
    const table = $('collections-table');
    const old = table.querySelector('tfoot');
    if (old) {
      old.remove();
    }
    const foot = el('tfoot');
    const tr = el('tr');
    tr.append(el('td', 'All markets'), el('td', ghs(momo), 'num'), el('td', ghs(cash), 'num'),
      el('td', String(count), 'num'), el('td', ghs(momo + cash), 'num'));
    foot.append(tr);
    table.append(foot);
    $('total-today').textContent = ghs(momo + cash);
    $('momo-today').textContent = ghs(momo);
    $('cash-today').textContent = ghs(cash);
    $('count-today').textContent = String(count);
  }

  function fillRows(tbody, rows, emptyText, columns) {
    tbody.replaceChildren();
    if (rows.length === 0) {
      const tr = el('tr');
      const td = el('td', emptyText);
      td.colSpan = columns;
      tr.append(td);
      tbody.append(tr);
      return;
    }
    for (const cells of rows) {
      const tr = el('tr');
      tr.append(...cells);
      tbody.append(tr);
    }
  }

  async function loadCollectors(code, day) {
    const rows = await api('/assemblies/' + code + '/collections/totals?by=collector&from=' + day + '&to=' + day);
    fillRows($('collectors-table').querySelector('tbody'), rows.map((r) => [
      el('td', r.label),
      el('td', ghs(r.cashPesewas), 'num'),
      el('td', ghs(r.mobileMoneyPesewas), 'num'),
      el('td', String(r.paymentCount), 'num'),
    ]), 'No money received yet today.', 4);
  }

  async function loadArrears(code) {
    const chart = $('arrears-chart');
    const rows = [];
    let offset = 0;
    for (let page = 0; page < MAX_MARKET_PAGES && offset !== null; page++) {
      const result = await api('/assemblies/' + code + '/arrears/markets?sort=arrears&limit=200&offset=' + offset);
      rows.push(...result.items);
      offset = result.nextOffset;
    }
    drawBars(chart, rows.map((m) => ({ name: m.marketName, pesewas: m.arrearsPesewas, owing: m.tradersOwing })));
    const total = rows.reduce((s, r) => s + r.arrearsPesewas, 0);
    const owing = rows.reduce((s, r) => s + r.tradersOwing, 0);
    const traders = rows.reduce((s, r) => s + r.traderCount, 0);
    $('arrears-note').textContent = 'Total owed ' + ghs(total) + ' by ' + owing + ' of ' + traders + ' traders'
      + (offset !== null ? '; only the ' + rows.length + ' markets owed most are shown.' : '.');
  }

  async function loadPending(code, day) {
    const page = await api('/assemblies/' + code + '/payments?status=INITIATED,PENDING&from=' + daysBefore(day, 6)
      + '&to=' + day + '&limit=' + PENDING_SHOWN);
    $('pending-count').textContent = String(page.total) + ' (' + ghs(page.items.reduce((s, p) => s + p.amountPesewas, 0))
      + (page.total > page.items.length ? ' in the newest ' + page.items.length : '') + ')';
    fillRows($('pending-table').querySelector('tbody'), page.items.map((p) => [
      el('td', new Date(p.createdAt).toLocaleString('en-GB', { timeZone: current.timeZone || 'Africa/Accra' })),
      el('td', p.provider),
      el('td', ghs(p.amountPesewas), 'num'),
      el('td', p.status),
    ]), 'No payment is waiting.', 4);
  }

  async function loadSms(code, day) {
    const s = await api('/assemblies/' + code + '/sms/summary?from=' + day + '&to=' + day);
    $('sms-rate').textContent = s.deliveryRatePercent === null
      ? 'none reported yet' : s.deliveryRatePercent.toFixed(1) + ' %';
    $('sms-delivered').textContent = String(s.delivered);
    $('sms-failed').textContent = String(s.failed);
    $('sms-pending').textContent = String(s.pending);
    $('sms-total').textContent = String(s.total);
  }

  async function loadUssd(code, day) {
    // USSD counts are kept per UTC day, which is Ghana's day all year.
    const u = await api('/assemblies/' + code + '/ussd/screens?from=' + day + '&to=' + day);
    $('ussd-summary').textContent = u.sessionsStarted + ' sessions started, ' + u.sessionsEnded
      + ' reached a final screen, ' + u.sessionsDroppedOff + ' left a screen unanswered (hung up, timed out or still open).';
    fillRows($('ussd-table').querySelector('tbody'), u.screens.slice(0, 8).map((r) => [
      el('td', r.screen),
      el('td', String(r.shown), 'num'),
      el('td', String(r.answered), 'num'),
      el('td', String(r.droppedOff), 'num'),
    ]), 'No USSD session yet today.', 4);
  }

  function drawBars(container, rows) {
    const width = 900;
    const rowHeight = 34;
    const labelWidth = 200;
    const valueWidth = 190;
    const height = Math.max(rowHeight, rows.length * rowHeight) + 8;
    const max = Math.max(1, ...rows.map((r) => r.pesewas));
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
    svg.setAttribute('data-markets', String(rows.length));
    rows.forEach((r, i) => {
      const y = 4 + i * rowHeight;
      const g = document.createElementNS(SVG, 'g');
      g.setAttribute('class', 'market-bar');
      const name = document.createElementNS(SVG, 'text');
      name.setAttribute('x', '0');
      name.setAttribute('y', String(y + 20));
      name.setAttribute('class', 'name');
      name.textContent = r.name;
      const bar = document.createElementNS(SVG, 'rect');
      bar.setAttribute('x', String(labelWidth));
      bar.setAttribute('y', String(y + 5));
      bar.setAttribute('height', String(rowHeight - 12));
      bar.setAttribute('width', String(Math.max(r.pesewas > 0 ? 2 : 0,
        (width - labelWidth - valueWidth) * r.pesewas / max)));
      bar.setAttribute('class', 'bar');
      const title = document.createElementNS(SVG, 'title');
      title.textContent = r.name + ': ' + ghs(r.pesewas) + ' owed by ' + r.owing + ' traders';
      bar.append(title);
      const value = document.createElementNS(SVG, 'text');
      value.setAttribute('x', String(width - valueWidth + 10));
      value.setAttribute('y', String(y + 20));
      value.setAttribute('class', 'value');
      value.textContent = ghs(r.pesewas) + ' (' + r.owing + ' owing)';
      g.append(name, bar, value);
      svg.append(g);
    });
    container.replaceChildren(svg);
  }

  $('login-form').addEventListener('submit', login);
  $('logout').addEventListener('click', logout);
  $('refresh').addEventListener('click', refresh);
  const remembered = sessionStorage.getItem(CODE);
  if (remembered) {
    $('assembly-code').value = remembered;
  }
  if (sessionStorage.getItem(KEY) && remembered) {
    Promise.all([api('/assemblies/' + encodeURIComponent(remembered)), api('/me')])
      .then(([assembly, me]) => enter(assembly, me), () => logout());
  } else {
    document.body.dataset.state = 'login';
  }
})();
