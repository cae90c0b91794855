// The Ordo admin console: plain JavaScript over the admin API (API.md "Consistency and operations"),
// no build step. The page itself holds no data; every call carries the admin token given at sign-in.
'use strict';

const api = '/api/v1';
const $ = (selector) => document.querySelector(selector);
let token = sessionStorage.getItem('ordo-token');
let current = 'consumers';
let timer = null;
const rates = new Map(); // consumer name -> {position, at}: a process's rate from two readings

async function call(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: Object.assign({ Authorization: 'Bearer ' + token, Accept: 'application/json' },
      body ? { 'Content-Type': 'application/json' } : {}),
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (response.status === 401) {
    signOut(json && json.detail);
    throw new Error('signed out');
  }
  if (!response.ok) {
    throw new Error((json && (json.detail || json.title)) || response.status + ' ' + response.statusText);
  }
  return json;
}

function say(text, error) {
  const message = $('#message');
  message.textContent = text || '';
  message.className = error ? 'error' : '';
}

function cell(row, value, className) {
  const td = row.insertCell();
  if (value instanceof Node) {
    td.append(value);
  } else {
    td.textContent = value === null || value === undefined ? '' : String(value);
  }
  if (className) td.className = className;
  return td;
}

function button(label, onClick, testId) {
  const b = document.createElement('button');
  b.textContent = label;
  b.type = 'button';
  if (testId) b.dataset.testid = testId;
  b.addEventListener('click', async (event) => {
    event.stopPropagation();
    b.disabled = true;
    try { await onClick(); } catch (e) { say(e.message, true); } finally { b.disabled = false; }
  });
  return b;
}

const number = (n) => (n === null || n === undefined ? '' : Number(n).toLocaleString('en'));
const pretty = (value) => JSON.stringify(value, null, 2);

// --- sign-in ---------------------------------------------------------------------------------

function claims(jwt) {
  try {
    return JSON.parse(atob(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
  } catch (e) {
    return null;
  }
}

function signOut(reason) {
  sessionStorage.removeItem('ordo-token');
  token = null;
  show();
  $('#login-error').textContent = reason || '';
}

function show() {
  const signedIn = !!token;
  $('#login').hidden = signedIn;
  $('#tabs').hidden = !signedIn;
  const c = signedIn ? claims(token) : null;
  $('#who').textContent = c ? c.sub + ' (' + [].concat(c.roles || []).join(', ') + ')' : '';
  document.querySelectorAll('section.tab').forEach((s) => { s.hidden = !signedIn || s.id !== current; });
  document.querySelectorAll('#tabs button').forEach((b) => b.classList.toggle('active', b.dataset.tab === current));
  clearInterval(timer);
  timer = null;
  if (!signedIn) return;
  const load = { consumers: loadConsumers, 'dead-letters': loadDeadLetterConsumers, flags: loadFlags }[current];
  if (load) {
    load().catch((e) => say(e.message, true));
  }
  if (current === 'consumers') {
    timer = setInterval(() => loadConsumers().catch((e) => say(e.message, true)), 1000);
  }
}

$('#login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const given = $('#token').value.trim();
  if (!claims(given)) {
    $('#login-error').textContent = 'That is not a token (three base64url parts).';
    return;
  }
  token = given;
  sessionStorage.setItem('ordo-token', token);
  $('#login-error').textContent = '';
  show();
});

document.querySelectorAll('#tabs button').forEach((b) => b.addEventListener('click', () => {
  current = b.dataset.tab;
  say('');
  show();
}));

// --- consumers -----------------------------------------------------------------------------

async function loadConsumers() {
  const [{ projections }, log] = await Promise.all([call('GET', api + '/projections'), call('GET', api + '/events?limit=1&after=0')]);
  $('#head').textContent = number(log.head);
  const rows = $('#consumer-rows');
  rows.replaceChildren();
  for (const p of projections) {
    const active = p.active || p; // a read model's active generation, or a process's own status
    const row = rows.insertRow();
    row.dataset.consumer = p.name;
    cell(row, p.name);
    cell(row, p.kind);
    cell(row, active.state, 'state-' + active.state).dataset.testid = 'state';
    cell(row, p.active ? 'g' + p.active.generation + ' v' + p.active.version : '');
    cell(row, number(active.position), 'number').dataset.testid = 'position';
    cell(row, number(active.lagEvents), 'number').dataset.testid = 'lag';
    cell(row, number(active.lagMillis), 'number');
    cell(row, number(rate(p.name, active)), 'number');
    const dead = cell(row, number(p.deadLetters), 'number');
    dead.dataset.testid = 'dead-letters';
    cell(row, rebuildProgress(p));
    // read models and search indexes rebuild; processes act on the world and cannot
    cell(row, p.kind === 'read-model' || p.kind === 'search' ? button('Rebuild', async () => {
      const started = await call('POST', api + '/projections/' + encodeURIComponent(p.name) + '/rebuild');
      say('Rebuilding ' + p.name + ' as generation ' + started.generation);
      await loadConsumers();
    }, 'rebuild') : '');
  }
}

function rate(name, status) {
  if (status.eventsPerSecond !== undefined) return status.eventsPerSecond;
  const now = Date.now();
  const last = rates.get(name);
  rates.set(name, { position: status.position, at: now, rate: last ? last.rate : 0 });
  if (last && now > last.at) {
    // positions are sparse: a rate of positions passed, as close to events/s as the status allows
    const r = Math.max(0, Math.round((status.position - last.position) * 1000 / (now - last.at)));
    rates.get(name).rate = r;
    return r;
  }
  return 0;
}

function rebuildProgress(p) {
  const span = document.createElement('span');
  span.dataset.testid = 'rebuild-progress';
  const r = p.rebuild;
  if (!r) {
    span.textContent = p.active && p.active.startedAt ? 'done' : '';
    return span;
  }
  const total = r.position + r.lagEvents;
  const bar = document.createElement('progress');
  bar.max = Math.max(total, 1);
  bar.value = r.position;
  span.append(bar, ' g' + r.generation + ' ' + r.state + ' ' + number(r.position) + ' / ' + number(total)
    + (r.etaSeconds !== null && r.etaSeconds !== undefined ? ', ' + r.etaSeconds + ' s left' : ''));
  return span;
}

// --- dead letters --------------------------------------------------------------------------

async function loadDeadLetterConsumers() {
  const { projections } = await call('GET', api + '/projections');
  const select = $('#dl-consumer');
  const chosen = select.value;
  select.replaceChildren(...projections.map((p) => new Option(p.name + ' (' + p.deadLetters + ')', p.name)));
  const withLetters = projections.find((p) => p.deadLetters > 0);
  select.value = chosen || (withLetters ? withLetters.name : projections.length ? projections[0].name : '');
  await loadDeadLetters();
}

async function loadDeadLetters() {
  const name = $('#dl-consumer').value;
  const rows = $('#dl-rows');
  rows.replaceChildren();
  $('#dl-event').hidden = true;
  if (!name) return;
  const { deadLetters } = await call('GET', api + '/projections/' + encodeURIComponent(name) + '/dead-letters');
  for (const d of deadLetters.filter((d) => $('#dl-all').checked || d.state === 'PARKED')) {
    const row = rows.insertRow();
    row.className = 'clickable';
    row.dataset.deadLetter = d.id;
    cell(row, d.id);
    cell(row, number(d.position), 'number');
    cell(row, d.eventType);
    cell(row, d.streamId);
    cell(row, d.error);
    cell(row, d.attempts, 'number');
    cell(row, d.state, 'state-' + d.state).dataset.testid = 'dl-state';
    const actions = document.createElement('span');
    if (d.state === 'PARKED') {
      const path = api + '/projections/' + encodeURIComponent(name) + '/dead-letters/' + d.id;
      actions.append(
        button('Retry', async () => { await call('POST', path + '/retry'); say('Dead letter ' + d.id + ' retried'); await loadDeadLetterConsumers(); }, 'retry'),
        button('Skip', async () => { await call('POST', path + '/skip'); say('Dead letter ' + d.id + ' skipped'); await loadDeadLetterConsumers(); }, 'skip'));
    }
    cell(row, actions);
    row.addEventListener('click', () => showEvent(d.streamId, d.eventId).catch((e) => say(e.message, true)));
  }
}

async function showEvent(streamId, eventId) {
  const stream = await call('GET', api + '/streams/' + encodeURIComponent(streamId));
  const event = stream.events.find((e) => e.eventId === eventId);
  const pre = $('#dl-event');
  pre.textContent = pretty(event || stream);
  pre.hidden = false;
}

$('#dl-consumer').addEventListener('change', () => loadDeadLetters().catch((e) => say(e.message, true)));
$('#dl-all').addEventListener('change', () => loadDeadLetters().catch((e) => say(e.message, true)));

// --- events --------------------------------------------------------------------------------

let nextAfter = 0;

async function loadEvents(after) {
  const form = new FormData($('#event-filter'));
  const field = (name) => (form.get(name) || '').trim();
  const limit = field('limit') || '50';
  let page;
  if (field('stream')) {
    const stream = await call('GET', api + '/streams/' + encodeURIComponent(field('stream')));
    page = { events: stream.events, next: null };
  } else if (field('actor')) {
    page = await call('GET', api + '/actors/' + encodeURIComponent(field('actor')) + '/history?after=' + after + '&limit=' + limit);
  } else {
    const query = new URLSearchParams({ after, limit });
    for (const name of ['type', 'correlationId']) {
      if (field(name)) query.set(name, field(name));
    }
    page = await call('GET', api + '/events?' + query);
  }
  let events = page.events;
  if (field('stream') || field('actor')) {
    events = events.filter((e) => (!field('type') || e.type === field('type'))
      && (!field('correlationId') || e.metadata.correlationId === field('correlationId')));
  }
  nextAfter = page.next;
  $('#event-next').disabled = page.next === null || page.next === undefined;
  $('#event-summary').textContent = events.length + ' events' + (page.next ? ', next page after ' + number(page.next) : '')
    + (page.head ? ' (head ' + number(page.head) + ')' : '');
  const rows = $('#event-rows');
  rows.replaceChildren();
  for (const e of events) {
    const row = rows.insertRow();
    row.className = 'clickable';
    row.dataset.position = e.position;
    cell(row, number(e.position), 'number');
    cell(row, e.occurredAt);
    const stream = document.createElement('a');
    stream.href = '#';
    stream.textContent = e.streamId;
    stream.addEventListener('click', (event) => {
      event.preventDefault();
      event.stopPropagation();
      $('#event-filter').stream.value = e.streamId;
      loadEvents(0).catch((x) => say(x.message, true));
    });
    cell(row, stream);
    cell(row, e.version, 'number');
    cell(row, e.type);
    cell(row, e.metadata.actor);
    cell(row, e.metadata.correlationId);
    row.addEventListener('click', () => {
      if (row.nextSibling && row.nextSibling.classList.contains('detail')) {
        row.nextSibling.remove();
        return;
      }
      const detail = rows.insertRow(row.sectionRowIndex + 1);
      detail.className = 'detail';
      const td = detail.insertCell();
      td.colSpan = 7;
      const pre = document.createElement('pre');
      pre.className = 'json';
      pre.textContent = pretty({ data: e.data, metadata: e.metadata, eventId: e.eventId, streamType: e.streamType,
        schemaVersion: e.schemaVersion });
      td.append(pre);
    });
  }
}

$('#event-filter').addEventListener('submit', (event) => {
  event.preventDefault();
  loadEvents(Number($('#event-filter').after.value || 0)).catch((e) => say(e.message, true));
});
$('#event-next').addEventListener('click', () => loadEvents(nextAfter).catch((e) => say(e.message, true)));

// --- time travel ---------------------------------------------------------------------------

async function travel(version) {
  const form = $('#travel-form');
  const id = form.stream.value.trim();
  const query = new URLSearchParams();
  if (version) {
    form.version.value = version;
    form.at.value = '';
  }
  if (form.version.value) query.set('version', form.version.value);
  if (form.at.value.trim()) query.set('at', form.at.value.trim());
  const [state, stream] = await Promise.all([
    call('GET', api + '/streams/' + encodeURIComponent(id) + '/state?' + query),
    call('GET', api + '/streams/' + encodeURIComponent(id))]);
  const versions = $('#travel-versions');
  versions.replaceChildren(...stream.events.map((e) => {
    const b = button('v' + e.version + ' ' + e.type, () => travel(e.version), 'version-' + e.version);
    b.title = e.occurredAt;
    b.classList.toggle('active', e.version === state.then.version);
    return b;
  }));
  $('#then-title').textContent = state.streamType + ' at version ' + state.then.version + (state.at ? ' (' + state.at + ')' : '');
  $('#now-title').textContent = 'now: version ' + state.current.version;
  render($('#travel-then'), state.then.state, state.current.state);
  render($('#travel-now'), state.current.state, state.then.state);
}

// One line per top-level field; a field that differs from the other side is marked.
function render(pre, state, other) {
  pre.replaceChildren();
  if (!state) {
    pre.textContent = 'did not exist';
    return;
  }
  for (const [key, value] of Object.entries(state)) {
    const line = document.createElement('div');
    line.textContent = key + ': ' + JSON.stringify(value);
    if (!other || JSON.stringify(other[key]) !== JSON.stringify(value)) {
      line.className = 'changed';
    }
    line.dataset.field = key;
    pre.append(line);
  }
}

$('#travel-form').addEventListener('submit', (event) => {
  event.preventDefault();
  travel().catch((e) => say(e.message, true));
});

// --- commands ------------------------------------------------------------------------------

$('#command-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const status = await call('GET', api + '/commands/' + encodeURIComponent($('#command-form').id.value.trim()));
    $('#command-status').textContent = pretty(status);
  } catch (e) {
    $('#command-status').textContent = e.message;
  }
});

// --- feature flags -------------------------------------------------------------------------

async function loadFlags() {
  const { flags } = await call('GET', api + '/flags');
  const rows = $('#flag-rows');
  rows.replaceChildren();
  for (const f of flags) {
    const row = rows.insertRow();
    row.dataset.flag = f.family;
    cell(row, f.family + (f.description ? ' — ' + f.description : ''));
    cell(row, f.source).dataset.testid = 'flag-source';
    cell(row, f.changedAt);
    cell(row, f.changedBy);
    const other = f.source === 'read-model' ? 'write-side' : 'read-model';
    cell(row, button('Answer from ' + other, async () => {
      await call('PUT', api + '/flags/' + encodeURIComponent(f.family), { source: other });
      say(f.family + ' now answers from ' + other);
      await loadFlags();
    }, 'flip'));
  }
}

// --- start ---------------------------------------------------------------------------------

// `./ordo console` opens /admin/#token=...: the token is taken and dropped from the address.
const fragment = new URLSearchParams(location.hash.slice(1));
if (fragment.get('token')) {
  token = fragment.get('token');
  sessionStorage.setItem('ordo-token', token);
  history.replaceState(null, '', location.pathname);
}
show();
