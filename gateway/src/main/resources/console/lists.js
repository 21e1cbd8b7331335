// Sessions, the waiting line, campaigns, account standing and billing events: one view each.

import { api } from './api.js';
import { busy, field, fill, h, say, syncRows, table, when } from './ui.js';
import { licenseTypes } from './agents.js';

const enc = encodeURIComponent;
/** Entries per page of a paged list. */
const PAGE = 100;

/**
 * A view of one paged list (GET path?limit&cursor answering {key: [...], nextCursor}): a table kept in step with
 * the page, First page / Next page, and a status line for its actions.
 */
function pagedView(root, notice, { path, key, caption, headers, id, cells, actions, emptyText }) {
  let cursor = null;
  let nextCursor = null;
  let mounted = false;
  const status = h('p', { class: 'message', role: 'status' });
  const grid = table(caption, headers);
  const empty = h('p', { class: 'none' });
  const first = h('button', { type: 'button', onclick: () => { cursor = null; refresh(); } }, 'First page');
  const next = h('button', { type: 'button', onclick: () => { cursor = nextCursor; refresh(); } }, 'Next page');

  async function refresh() {
    if (!mounted) {
      fill(root, h('div', { class: 'toolbar' }, h('div', { class: 'buttons' }, first, next)), status,
        h('div', { class: 'scroll' }, grid), empty);
      mounted = true;
    }
    try {
      const page = await api('GET', path + '?limit=' + PAGE + (cursor ? '&cursor=' + enc(cursor) : ''));
      nextCursor = page.nextCursor;
      next.disabled = !nextCursor;
      first.disabled = !cursor;
      say(notice, '');
      const items = page[key];
      syncRows(grid.body, items, id, (item) => {
        const tds = headers.slice(0, -1).map(() => h('td'));
        const tr = h('tr', {}, tds, h('td', { class: 'actions' }, actions(() => tr.item, status, refresh)));
        tr.tds = tds;
        return tr;
      }, (tr, item) => {
        tr.item = item;
        cells(item).forEach((value, i) => fill(tr.tds[i], value));
        for (const button of tr.querySelectorAll('td.actions button')) {
          button.setAttribute('aria-label', button.textContent + ': agent ' + item.agentId);
        }
      });
      empty.textContent = items.length > 0 ? '' : emptyText;
    } catch (error) {
      say(notice, error);
    }
  }

  function reset() {
    mounted = false;
    cursor = null;
    fill(grid.body);
    fill(root);
  }

  return { refresh, reset };
}

export function sessionsView(root, notice) {
  return pagedView(root, notice, {
    path: '/sessions', key: 'sessions', caption: 'Live sessions (this page)', emptyText: 'Nobody is logged in.',
    headers: ['Agent', 'License type', 'Campaign', 'Device', 'Logged in at', 'Lease expires', 'Actions'],
    id: (s) => s.sessionId,
    cells: (s) => [s.agentId, s.licenseType, s.campaign || '—', s.deviceId || '—', when(s.loggedInAt),
      when(s.leaseExpiresAt)],
    actions: (item, status, refresh) => {
      const button = h('button', { type: 'button', class: 'force-logout' }, 'Force logout');
      button.addEventListener('click', () => busy(button, status, async () => {
        await api('DELETE', '/sessions/' + enc(item().sessionId));
        say(status, 'Agent ' + item().agentId + ' logged out; its seat is free.');
        refresh();
      }));
      return button;
    },
  });
}

export function queueView(root, notice) {
  return pagedView(root, notice, {
    path: '/queue', key: 'waiting', caption: 'Agents waiting for a seat, first in line first',
    emptyText: 'Nobody is waiting.',
    headers: ['Position', 'Agent', 'License type', 'Campaign', 'Waiting since', 'Actions'],
    id: (w) => w.agentId + '/' + w.licenseType,
    cells: (w) => [String(w.position), w.agentId, w.licenseType, w.campaign || '—', when(w.since)],
    actions: (item, status, refresh) => {
      const button = h('button', { type: 'button' }, 'Remove from line');
      button.addEventListener('click', () => busy(button, status, async () => {
        await api('DELETE', '/queue/' + enc(item().agentId));
        say(status, 'Agent ' + item().agentId + ' left the line.');
        refresh();
      }));
      return button;
    },
  });
}

export function campaignsView(root, notice) {
  let types = null;
  let mounted = false;
  const status = h('p', { class: 'message', role: 'status' });
  const grid = table('Campaigns', ['Campaign', 'Name', 'Limits', 'In use', 'Actions']);
  const empty = h('p', { class: 'none' });
  const formSlot = h('div');

  function limitsText(limits) {
    const parts = Object.entries(limits || {}).map(([type, l]) => type + ': '
      + (l.max === null || l.max === undefined ? 'no cap' : 'max ' + l.max) + ', reserved ' + (l.reserved || 0));
    return parts.join('; ') || 'none';
  }

  function editor() {
    const id = field('Campaign id', { name: 'campaign', autocomplete: 'off' });
    const name = field('Name', { name: 'name', autocomplete: 'off' });
    const limits = types.map((type) => ({
      type,
      max: field(type + ': most sessions (empty: no cap)', { type: 'number', min: 0, inputmode: 'numeric' }),
      reserved: field(type + ': seats reserved', { type: 'number', min: 0, value: 0, inputmode: 'numeric' }),
    }));
    const save = h('button', { type: 'submit' }, 'Save campaign');
    const error = h('p', { class: 'error', role: 'alert' });
    const form = h('form', { class: 'panel', novalidate: true, 'aria-label': 'Create or replace a campaign' },
      h('h3', {}, 'Create or replace a campaign'), id, name,
      limits.map((l) => h('div', { class: 'pair' }, l.max, l.reserved)), h('div', { class: 'buttons' }, save), error);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      busy(save, error, async () => {
        const body = { limits: {} };
        if (name.input.value.trim()) {
          body.name = name.input.value.trim();
        }
        for (const l of limits) {
          const max = l.max.input.value.trim();
          const reserved = l.reserved.input.value.trim();
          body.limits[l.type] = { max: max === '' ? null : Number(max), reserved: reserved === '' ? 0 : Number(reserved) };
        }
        const saved = await api('PUT', '/campaigns/' + enc(id.input.value.trim()), { body });
        say(status, 'Campaign ' + saved.campaign + ' saved.');
        refresh();
      });
    });
    return form;
  }

  async function refresh() {
    try {
      if (types === null) {
        types = await licenseTypes();
      }
      if (!mounted) {
        fill(root, status, h('div', { class: 'scroll' }, grid), empty, formSlot);
        fill(formSlot, editor());
        mounted = true;
      }
      const answer = await api('GET', '/campaigns');
      say(notice, '');
      syncRows(grid.body, answer.campaigns, (c) => c.campaign, () => {
        const tds = [h('td'), h('td'), h('td'), h('td')];
        const remove = h('button', { type: 'button' }, 'Delete');
        const tr = h('tr', {}, tds, h('td', { class: 'actions' }, remove));
        remove.addEventListener('click', () => busy(remove, status, async () => {
          await api('DELETE', '/campaigns/' + enc(tr.item.campaign));
          say(status, 'Campaign ' + tr.item.campaign + ' deleted; its sessions keep their seats.');
          refresh();
        }));
        tr.tds = tds;
        return tr;
      }, (tr, c) => {
        tr.item = c;
        const inUse = Object.entries(c.inUse || {}).map(([type, n]) => type + ' ' + n).join(', ') || '0';
        [c.campaign, c.name, limitsText(c.limits), inUse].forEach((text, i) => fill(tr.tds[i], text));
        tr.querySelector('button').setAttribute('aria-label', 'Delete campaign ' + c.campaign);
      });
      empty.textContent = answer.campaigns.length > 0 ? '' : 'No campaigns: every seat serves every agent.';
    } catch (error) {
      say(notice, error);
    }
  }

  function reset() {
    types = null;
    mounted = false;
    fill(grid.body);
    fill(root);
  }

  return { refresh, reset };
}

export function standingView(root, notice) {
  let mounted = false;
  const shown = h('dl', { class: 'standing' });
  const status = field('New status', { tag: 'select', name: 'status' });
  for (const value of ['active', 'past_due', 'suspended']) {
    status.input.append(h('option', { value }, value));
  }
  const note = field('Note (an invoice, a ticket)', { name: 'note', autocomplete: 'off' });
  const suspendAt = field('Suspend at (with past_due; e.g. 2026-12-10T00:00:00Z)', { name: 'suspendAt',
    autocomplete: 'off' });
  const save = h('button', { type: 'submit' }, 'Set standing');
  const message = h('p', { class: 'message', role: 'status' });
  const form = h('form', { class: 'panel', novalidate: true, 'aria-label': 'Set the standing' },
    h('h3', {}, 'Set the standing (operator only)'), status, note, suspendAt, h('div', { class: 'buttons' }, save),
    message);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(save, message, async () => {
      const body = { status: status.input.value };
      if (note.input.value.trim()) {
        body.note = note.input.value.trim();
      }
      if (suspendAt.input.value.trim()) {
        body.suspendAt = suspendAt.input.value.trim();
      }
      await api('PUT', '/standing', { body });
      say(message, 'Standing set.');
      refresh();
    });
  });

  async function refresh() {
    if (!mounted) {
      fill(root, shown, form);
      mounted = true;
    }
    try {
      const s = await api('GET', '/standing');
      say(notice, '');
      fill(shown,
        h('div', {}, h('dt', {}, 'Status'), h('dd', { class: 'status' }, s.status)),
        h('div', {}, h('dt', {}, 'Since'), h('dd', {}, when(s.since))),
        h('div', {}, h('dt', {}, 'Suspends at'), h('dd', {}, when(s.suspendAt))),
        h('div', {}, h('dt', {}, 'Note'), h('dd', {}, s.note || '—')));
    } catch (error) {
      say(notice, error);
    }
  }

  function reset() {
    mounted = false;
    fill(root);
  }

  return { refresh, reset };
}

/** "1 outbound seat", "3 outbound seats". */
function seats(count, type) {
  return count + ' ' + type + (count === 1 ? ' seat' : ' seats');
}

/** What one billing event says, in words. */
function describe(e) {
  switch (e.type) {
    case 'purchase':
      return [seats(e.count, e.licenseType) + ' bought: ',
        h('strong', { class: 'amount' }, e.charge.amount + ' ' + e.charge.currency),
        ' (' + e.charge.daysRemaining + ' of ' + e.charge.daysInMonth + ' days), usable from ', when(e.activatesAt)];
    case 'removal_scheduled':
      return [seats(e.count, e.licenseType) + ' to be removed, effective ', when(e.effectiveAt)];
    case 'removal_applied':
      return [seats(e.count, e.licenseType) + ' removed'];
    case 'cycle':
      return ['Cycle ' + e.cycle + ': ', (e.lines || []).map((l) => l.licenseType + ' ' + l.seats + ' × '
        + l.unitMonthlyPrice + ' = ' + l.amount + ' ' + l.currency).join('; ')];
    case 'standing_changed':
      return ['Standing: ' + e.status + (e.note ? ' (' + e.note + ')' : '')];
    default:
      return [e.type];
  }
}

export function billingView(root, notice) {
  let mounted = false;
  const grid = table('Billing events, newest first', ['When', 'Event', 'Details']);
  const empty = h('p', { class: 'none' });

  async function refresh() {
    if (!mounted) {
      fill(root, h('div', { class: 'scroll' }, grid), empty);
      mounted = true;
    }
    try {
      const answer = await api('GET', '/billing/events?limit=100');
      say(notice, '');
      const events = [...answer.events].reverse();
      syncRows(grid.body, events, (e) => e.eventId, () => h('tr', {}, h('td'), h('td'), h('td')), (tr, e) => {
        fill(tr.cells[0], when(e.at));
        fill(tr.cells[1], e.type.replace('_', ' '));
        fill(tr.cells[2], describe(e));
        tr.dataset.type = e.type;
      });
      empty.textContent = events.length > 0 ? '' : 'No billing events yet.';
    } catch (error) {
      say(notice, error);
    }
  }

  function reset() {
    mounted = false;
    fill(grid.body);
    fill(root);
  }

  return { refresh, reset };
}
