'use strict';
// Reference harness for issue #3: the trader journey that UssdLoadBenchmark walks (dial -> arrears
// -> back -> pay today's toll -> confirm), written on ussd-menu-builder with sessions in Redis and
// the data in the PostgreSQL schema the benchmark seeds through our ledger. See README.md.

const cluster = require('node:cluster');
const crypto = require('node:crypto');
const http = require('node:http');
const express = require('express');
const UssdMenu = require('ussd-menu-builder');
const { createClient } = require('redis');
const { Pool } = require('pg');

const HOST = process.env.HOST || '127.0.0.1';
const PORT = Number(process.env.PORT || 18090);
const DATABASE_URL = process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/test';
const PG_POOL_SIZE = Number(process.env.PG_POOL_SIZE || 16);
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379/3';
const SESSION_TTL_SECONDS = Number(process.env.SESSION_TTL_SECONDS || 180);
// 1 (the default): one process, no cluster module. 2 or more: Node's cluster module forks that
// many workers sharing the port.
const WORKERS = Number(process.env.WORKERS || 1);
// express (the default, as the library's README runs it) or http (Node's own module).
const FRONT = process.env.FRONT === 'http' ? 'http' : 'express';
// The simulated provider our gateway's bench config routes every network to.
const PROVIDER = 'simulator';

// ---------------------------------------------------------------------------------------------
// PostgreSQL

// application_name lets a measurement tell this app's backends from other clients' (cpu-sampler.py).
const pool = new Pool({
  connectionString: DATABASE_URL,
  max: PG_POOL_SIZE,
  application_name: 'node-ussd-reference',
});
pool.on('error', (err) => console.error('pg pool error', err.message));

// Assemblies by USSD service code, kept in memory as our gateway keeps its registry. A code that
// matches nothing is asked again next time (the benchmark registers a new assembly per run).
const assemblies = new Map();

function assemblyFor(serviceCode) {
  let found = assemblies.get(serviceCode);
  if (!found) {
    // The promise is kept, so concurrent first dials share one query.
    found = loadAssembly(serviceCode);
    assemblies.set(serviceCode, found);
    found.then((a) => a || assemblies.delete(serviceCode), () => assemblies.delete(serviceCode));
  }
  return found;
}

async function loadAssembly(serviceCode) {
  const { rows } = await pool.query({
    name: 'assembly_by_code',
    text:
      'select code, name, schema_name, time_zone, status, min_payment_pesewas,' +
      ' max_payment_pesewas from control.assemblies where $1 = any (ussd_service_codes)',
    values: [serviceCode],
  });
  if (rows.length === 0) {
    return null;
  }
  console.log(`assembly ${rows[0].code} (schema ${rows[0].schema_name}) serves ${serviceCode}`);
  return assemblyOf(rows[0]);
}

/** An assembly row with its statements, named per schema so each is prepared once per connection. */
function assemblyOf(row) {
  const s = '"' + row.schema_name + '"'; // schema_name is checked by control.assemblies_schema_ck
  const q = (key, text) => ({ name: key + ':' + row.schema_name, text });
  return {
    code: row.code,
    name: row.name,
    status: row.status,
    minPesewas: Number(row.min_payment_pesewas),
    maxPesewas: Number(row.max_payment_pesewas),
    today: dayFormatter(row.time_zone),
    sql: {
      tradersByPhone: q(
        'traders_by_phone',
        `select t.id, t.customer_number, t.name, t.phone, t.language, t.status, m.name as market
           from ${s}.traders t join ${s}.markets m on m.id = t.market_id
          where t.phone = $1 order by t.name, t.id limit 50`,
      ),
      // Per item, plus a grand-total row (item null) with the distinct days and the oldest date.
      arrears: q(
        'arrears',
        `select a.balance_pesewas,
                (select max(x.business_date)::text from ${s}.transfers x
                  where x.trader_id = t.id and x.kind in ('MOMO_PAYMENT', 'CASH_PAYMENT')) as last_paid,
                o.item, o.remaining, o.days, o.oldest::text as oldest
           from ${s}.traders t
           join ${s}.accounts a on a.kind = 'TRADER' and a.owner_id = t.id
           left join lateral (
                  select c.item, sum(c.amount_pesewas - c.paid_pesewas)::bigint as remaining,
                         count(distinct c.due_date) as days, min(c.due_date) as oldest
                    from ${s}.charges c
                   where c.trader_id = t.id and c.status = 'OPEN'
                   group by grouping sets ((c.item), ())) o on true
          where t.id = $1`,
      ),
      dueOnDay: q(
        'due_on_day',
        `select t.id, (select sum(c.amount_pesewas - c.paid_pesewas)::bigint from ${s}.charges c
                        where c.trader_id = t.id and c.status = 'OPEN' and c.due_date = $1) as due
           from ${s}.traders t where t.id = $2`,
      ),
      // As the payments bridge does: the reference index (control schema) first, then the intent.
      recordReference: {
        name: 'record_reference',
        text:
          'insert into control.payment_references (reference, assembly_code) values ($1, $2)' +
          ' on conflict (reference) do nothing',
      },
      insertIntent: q(
        'insert_intent',
        `insert into ${s}.payments (reference, provider, trader_id, payer_msisdn, amount_pesewas,
                purpose, payer_language, network, created_at, updated_at, next_poll_at)
         values ($1, $2, $3, $4, $5, 'TODAY', $6, $7, now(), now(), null)
         on conflict (reference) do nothing`,
      ),
    },
  };
}

function dayFormatter(timeZone) {
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  return () => f.format(new Date()); // YYYY-MM-DD
}

// ---------------------------------------------------------------------------------------------
// Redis sessions: one hash per USSD session, each write renewing its TTL.

const redis = createClient({ url: REDIS_URL });
redis.on('error', (err) => console.error('redis error', err.message));
const sessionKey = (sessionId) => 'ussd:session:' + sessionId;

const sessionStore = {
  // Nothing to create: the hash appears with the first write.
  start: () => Promise.resolve(),
  end: (sessionId) => redis.del(sessionKey(sessionId)),
  set: (sessionId, key, value) =>
    redis
      .multi()
      .hSet(sessionKey(sessionId), key, JSON.stringify(value))
      .expire(sessionKey(sessionId), SESSION_TTL_SECONDS)
      .exec(),
  get: (sessionId, key) =>
    redis.hGet(sessionKey(sessionId), key).then((v) => (v == null ? null : JSON.parse(v))),
};

// ---------------------------------------------------------------------------------------------
// Screens (English texts as our menus' messages/en.yaml)

const NETWORKS = new Map([
  ['024', 'MTN'], ['025', 'MTN'], ['053', 'MTN'], ['054', 'MTN'], ['055', 'MTN'], ['059', 'MTN'],
  ['020', 'TELECEL'], ['050', 'TELECEL'],
  ['026', 'AIRTELTIGO'], ['027', 'AIRTELTIGO'], ['056', 'AIRTELTIGO'], ['057', 'AIRTELTIGO'],
]);

/** +233 24 500 0000, 0245000000, 00233... -> 233245000000 (the form traders.phone stores). */
function normalizePhone(raw) {
  let d = String(raw || '').replace(/[\s\-().]/g, '');
  if (d.startsWith('+')) d = d.slice(1);
  else if (d.startsWith('00')) d = d.slice(2);
  if (d.length === 10 && d.startsWith('0')) d = '233' + d.slice(1);
  else if (d.length === 9 && !d.startsWith('0')) d = '233' + d;
  return /^233[235]\d{8}$/.test(d) ? d : null;
}

const ghs = (pesewas) => 'GHS ' + (pesewas / 100).toFixed(2);

const mainMenu = (a) =>
  a.name +
  '\n1. Check arrears\n2. Pay today\'s toll\n3. Pay arrears\n4. My receipts\n5. Language' +
  '\n6. Pay for another trader';

const MAIN_NEXT = {
  1: 'arrears',
  2: 'payToday',
  3: 'notHere',
  4: 'notHere',
  5: 'notHere',
  6: 'notHere',
};

/**
 * Each state's run gets its state, whose menu is this request's menu: the functions are defined
 * once, the menu object is per request (see buildMenu).
 */
const states = {
  // Dial: the assembly (cached) by service code, the trader by phone, the trader into the session.
  __start__: {
    run: step(async (menu) => {
      const a = await assemblyOrEnd(menu);
      if (!a) return;
      const phone = normalizePhone(menu.args.phoneNumber);
      if (!phone) return menu.end('Sorry, the service is not available now. Please try again later.');
      const { rows } = await pool.query({ ...a.sql.tradersByPhone, values: [phone] });
      if (rows.length === 0) return menu.end('This phone has no traders. Visit the assembly office.');
      // Several traders on one phone would get a "Who is paying?" list; the benchmark's phones
      // each have one, and this harness takes the first.
      const t = rows[0];
      if (t.status !== 'ACTIVE') {
        return menu.end('Your account is suspended. Please visit or call the assembly office.');
      }
      await menu.session.set('trader', {
        id: Number(t.id),
        name: t.name,
        phone: t.phone,
        language: t.language,
      });
      menu.con(mainMenu(a));
    }),
    next: MAIN_NEXT,
  },
  // Back to the main menu: no query.
  main: {
    run: step(async (menu) => {
      const a = await assemblyOrEnd(menu);
      if (a) menu.con(mainMenu(a));
    }),
    next: MAIN_NEXT,
  },
  arrears: {
    run: step(async (menu) => {
      const a = await assemblyOrEnd(menu);
      if (!a) return;
      const t = await traderOrEnd(menu);
      if (!t) return;
      const { rows } = await pool.query({ ...a.sql.arrears, values: [t.id] });
      let total = 0;
      let days = 0;
      let lastPaid = null;
      for (const r of rows) {
        lastPaid = r.last_paid;
        if (r.item == null) days = Number(r.days || 0);
        else total += Number(r.remaining);
      }
      if (total === 0) {
        return menu.con(t.name + ' owes nothing. Thank you!\n0. Back');
      }
      menu.con(
        'Owed ' + ghs(total) + ', ' + days + ' days\nLast paid ' + (lastPaid || 'never') +
          '\n1. Pay arrears\n2. Details\n0. Back',
      );
    }),
    next: { 0: 'main', 1: 'notHere', 2: 'notHere' },
  },
  payToday: {
    run: step(async (menu) => {
      const a = await assemblyOrEnd(menu);
      if (!a) return;
      const t = await traderOrEnd(menu);
      if (!t) return;
      const { rows } = await pool.query({ ...a.sql.dueOnDay, values: [a.today(), t.id] });
      const due = rows.length ? Number(rows[0].due || 0) : 0;
      if (due <= 0) return menu.end('Nothing is due today. Thank you!');
      if (due < a.minPesewas || due > a.maxPesewas) {
        return menu.end('Sorry, the service is not available now. Please try again later.');
      }
      const network = NETWORKS.get('0' + t.phone.slice(3, 5)) || null;
      if (!network) return menu.end('We cannot tell your mobile money network.');
      await menu.session.set('payment', { amount: due, network });
      menu.con(
        'Pay ' + ghs(due) + ': ' + t.name.slice(0, 12) + '\n' + network + ' 0' + t.phone.slice(3) +
          '?\n1. Confirm\n2. Cancel',
      );
    }),
    next: { 1: 'pay', 2: 'cancelled' },
  },
  // Confirm: the reference index row and ONE payment intent (status INITIATED), idempotent on
  // the session id as our gateway's confirmation is. next_poll_at stays null: this app has no
  // provider and no poller, and a due time (our ledger writes now + 20 s) would let any gateway
  // sharing the database poll these intents at its simulator while we measure.
  pay: {
    run: step(async (menu) => {
      const a = await assemblyOrEnd(menu);
      if (!a) return;
      const [t, p] = await Promise.all([menu.session.get('trader'), menu.session.get('payment')]);
      if (!t || !p) return menu.end('Your session has expired. Please dial again.');
      const reference = referenceFor(a.code, menu.args.sessionId);
      await pool.query({ ...a.sql.recordReference, values: [reference, a.code] });
      await pool.query({
        ...a.sql.insertIntent,
        values: [reference, PROVIDER, t.id, t.phone, p.amount, t.language, p.network],
      });
      menu.end('Approve the prompt on your phone; your receipt comes by SMS.');
    }),
  },
  cancelled: {
    run: (state) => state.menu.end('Payment cancelled. Nothing was charged.'),
  },
  notHere: {
    run: (state) => state.menu.end('Not part of this reference harness.'),
  },
};

/** Wraps an async run so a failure answers the phone once (the menu's error handler). */
function step(fn) {
  return (state) => {
    fn(state.menu).catch((err) => state.menu.emit('error', err));
  };
}

async function assemblyOrEnd(menu) {
  const a = await assemblyFor(menu.args.serviceCode);
  if (!a || a.status !== 'ACTIVE') {
    menu.end('This code is not in use. Please check the number you dialled.');
    return null;
  }
  return a;
}

async function traderOrEnd(menu) {
  const t = await menu.session.get('trader');
  if (!t) menu.end('Your session has expired. Please dial again.');
  return t;
}

/**
 * The payment reference for one confirmation, as our payments bridge derives it: SHA-256 of
 * "<assembly>:<idempotency key>" shaped as a version-4 UUID, so a retried hop names the same
 * payment. The idempotency key is the USSD session id.
 */
function referenceFor(code, sessionId) {
  const h = crypto.createHash('sha256').update(code + ':' + sessionId, 'utf8').digest();
  h[6] = (h[6] & 0x0f) | 0x40;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.toString('hex', 0, 16);
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/**
 * A UssdMenu per request: the library keeps the request's args, val and result callback on the
 * menu object, so one shared menu would mix concurrent sessions up.
 */
function buildMenu() {
  const menu = new UssdMenu();
  menu.sessionConfig(sessionStore);
  for (const [name, options] of Object.entries(states)) {
    menu.state(name, options);
  }
  return menu;
}

// ---------------------------------------------------------------------------------------------
// HTTP: express as the library's README shows it (the default), or FRONT=http for Node's own
// http module with the form parsed by URLSearchParams (to see what express costs per hop).

/** Runs one hop; send(status, text) answers it exactly once. */
function hop(b, send) {
  if (!b.sessionId || !b.phoneNumber) {
    return send(400, 'sessionId and phoneNumber are required');
  }
  let answered = false;
  const reply = (text) => {
    if (!answered) {
      answered = true;
      send(200, text);
    }
  };
  const menu = buildMenu();
  menu.on('error', (err) => {
    console.error('ussd error', err && err.message);
    reply('END Sorry, the service is not available now. Please try again later.');
  });
  menu.run(
    {
      sessionId: b.sessionId,
      serviceCode: b.serviceCode,
      phoneNumber: b.phoneNumber,
      networkCode: b.networkCode,
      text: b.text || '',
    },
    reply,
  );
}

function expressServer() {
  const server = express();
  server.use(express.urlencoded({ extended: false }));
  server.post('/ussd/africastalking', (req, res) => {
    hop(req.body || {}, (status, text) => res.status(status).type('text/plain').send(text));
  });
  return server;
}

function plainServer() {
  return http.createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/ussd/africastalking') {
      res.writeHead(404).end();
      return;
    }
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      hop(Object.fromEntries(form), (status, text) => {
        res.writeHead(status, {
          'content-type': 'text/plain; charset=utf-8',
          'content-length': Buffer.byteLength(text),
        });
        res.end(text);
      });
    });
  });
}

// A failed Redis or PostgreSQL call has already answered the phone through the menu's error
// handler; the library's own copy of the rejected promise must not end the process.
process.on('unhandledRejection', (err) => console.error('unhandled rejection', err && err.message));
process.on('SIGTERM', () => process.exit(0));

async function main() {
  await redis.connect();
  const server = FRONT === 'http' ? plainServer() : expressServer();
  server.listen(PORT, HOST, () => {
    console.log(`node-ussd reference pid ${process.pid} (${FRONT}) on http://${HOST}:${PORT}`);
  });
}

if (WORKERS > 1 && cluster.isPrimary) {
  console.log(`cluster primary ${process.pid}: forking ${WORKERS} workers`);
  for (let i = 0; i < WORKERS; i++) cluster.fork();
} else {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
