// The finance officer's page: reads the admin API (/api/v1) with the API key typed at login.
// No framework and no build step; the key lives in sessionStorage and leaves only as a Bearer header.
'use strict';
(function () {
  const KEY = 'assemblypay.dashboard.apiKey';
  const CODE = 'assemblypay.dashboard.assembly';
  // Arrears by market is summed here from each trader's arrears until the API has a report for it;
  // past this many traders the page says so instead of sending thousands of requests.
  const MAX_TRADERS_FOR_ARREARS = 2000;
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

  /** Runs fn over items with at most `width` requests in flight. */
  async function inParallel(items, width, fn) {
    const results = new Array(items.length);
    let next = 0;
    async function worker() {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]);
      }
    }
    await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
    return results;
  }

  function ghs(pesewas) {
    const n = Number(pesewas) || 0;
    return 'GHS ' + (n / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
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
      const assembly = await api('/assemblies/' + encodeURIComponent(code));
      $('api-key').value = '';
      enter(assembly);
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

  function enter(assembly) {
    current = assembly;
    $('assembly-name').textContent = assembly.name + ' (' + assembly.code + ')';
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
      loadArrears(code),
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

  async function allTraders(code) {
    const traders = [];
    let offset = 0;
    while (offset !== null && offset !== undefined) {
      const page = await api('/assemblies/' + code + '/traders?limit=100&offset=' + offset);
      traders.push(...page.items);
      if (traders.length > MAX_TRADERS_FOR_ARREARS) {
        return null;
      }
      offset = page.nextOffset;
    }
    return traders;
  }

  async function loadArrears(code) {
    const chart = $('arrears-chart');
    chart.replaceChildren(el('p', 'Adding up arrears…', 'note'));
    const [markets, traders] = await Promise.all([api('/assemblies/' + code + '/markets'), allTraders(code)]);
    if (traders === null) {
      chart.replaceChildren();
      $('arrears-note').textContent = 'More than ' + MAX_TRADERS_FOR_ARREARS + ' traders: too many to add up in the '
        + 'browser. This needs the arrears-by-market report in the admin API.';
      return;
    }
    const byMarket = new Map(markets.map((m) => [m.id, { name: m.name, pesewas: 0, owing: 0 }]));
    const arrears = await inParallel(traders, 4,
      (t) => api('/assemblies/' + code + '/traders/' + t.id + '/arrears'));
    traders.forEach((t, i) => {
      if (!byMarket.has(t.marketId)) {
        byMarket.set(t.marketId, { name: t.marketName, pesewas: 0, owing: 0 });
      }
      const m = byMarket.get(t.marketId);
      m.pesewas += arrears[i].totalPesewas;
      if (arrears[i].totalPesewas > 0) {
        m.owing += 1;
      }
    });
    const rows = [...byMarket.values()].sort((a, b) => b.pesewas - a.pesewas || a.name.localeCompare(b.name));
    drawBars(chart, rows);
    const total = rows.reduce((s, r) => s + r.pesewas, 0);
    $('arrears-note').textContent = 'Total owed ' + ghs(total) + ' by ' + rows.reduce((s, r) => s + r.owing, 0)
      + ' of ' + traders.length + ' traders; added up in the browser from each trader\'s arrears.';
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
    api('/assemblies/' + encodeURIComponent(remembered)).then(enter, () => logout());
  } else {
    document.body.dataset.state = 'login';
  }
})();
