// Licenses: a window per license type of the catalog (as GET .../licenses lists them), with its counts, pending
// purchases counting down to activation and scheduled removals with their date; Add (quote, confirm, buy) and
// Remove (confirm, schedule).

import { api } from './api.js';
import { busy, countdown, field, fill, h, newId, say, when } from './ui.js';

const LABELS = [['active', 'Owned'], ['inUse', 'In use'], ['available', 'Available'], ['waiting', 'Waiting']];

/** One Idempotency-Key per confirmed purchase: a retry or a second click sends the same one. */
function newKey() {
  if (crypto.randomUUID) {
    return crypto.randomUUID();
  }
  // Outside a secure context (plain HTTP to a host other than this machine) randomUUID is missing.
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function seats(count) {
  return count + (count === 1 ? ' seat' : ' seats');
}

function title(type) {
  return type.charAt(0).toUpperCase() + type.slice(1);
}

export function licensesView(root, notice) {
  const windows = new Map();
  let ticking = null;
  let refreshing = false;
  /** The gateway's clock (Redis') minus this browser's, from the last answer: countdowns follow the gateway's. */
  let skew = 0;

  async function refresh() {
    if (refreshing) {
      return;
    }
    refreshing = true;
    try {
      const answer = await api('GET', '/licenses');
      skew = new Date(answer.asOf).getTime() - Date.now();
      say(notice, '');
      for (const [type, counts] of Object.entries(answer.licenses)) {
        if (!windows.has(type)) {
          const made = licenseWindow(type, refresh);
          windows.set(type, made);
          root.append(made.element);
        }
        windows.get(type).update(counts, Date.now() + skew);
      }
    } catch (error) {
      say(notice, error);
    } finally {
      refreshing = false;
    }
    if (!ticking) {
      ticking = setInterval(tick, 1000);
    }
  }

  /** Counts pending purchases down; one that comes due makes the counts be read again at once. */
  function tick() {
    let due = false;
    for (const element of root.querySelectorAll('.countdown')) {
      const text = countdown(element.dataset.at, Date.now() + skew);
      due = due || (text === 'now' && element.textContent !== 'now');
      element.textContent = text;
    }
    if (due) {
      refresh();
    }
  }

  function reset() {
    clearInterval(ticking);
    ticking = null;
    windows.clear();
    fill(root);
  }

  return { refresh, reset };
}

function licenseWindow(type, refresh) {
  const titleId = newId('license');
  const counts = {};
  const pending = h('ul', { class: 'pending' });
  const removals = h('ul', { class: 'removals' });
  const campaigns = h('p', { class: 'campaigns' });
  const message = h('p', { class: 'message', role: 'status' });

  // Add: the quote first, then a confirmation showing its charge, then the purchase with the confirmation's key.
  const addCount = field('Seats to add', { type: 'number', min: 1, max: 10000, value: 1, inputmode: 'numeric',
    name: 'add-count' });
  const addButton = h('button', { type: 'submit', class: 'add' }, 'Add…');
  const confirmText = h('p', { class: 'confirm-text' });
  const confirmButton = h('button', { type: 'button', class: 'confirm-add' }, 'Confirm purchase');
  const cancelButton = h('button', { type: 'button' }, 'Cancel');
  const confirmAdd = h('div', { class: 'confirm', role: 'group', 'aria-label': 'Confirm the purchase', hidden: true },
    confirmText, h('div', { class: 'buttons' }, confirmButton, cancelButton));
  let order = null;

  const addForm = h('form', { class: 'inline', novalidate: true, onsubmit: (event) => {
    event.preventDefault();
    busy(addButton, message, async () => {
      const raw = addCount.input.value.trim();
      const quote = await api('GET', '/licenses/' + encodeURIComponent(type) + '/quote?count='
        + encodeURIComponent(raw));
      order = { count: quote.count, key: newKey() };
      const c = quote.charge;
      fill(confirmText, 'Add ' + seats(quote.count) + ' of type ' + type + '? Charged now: ',
        h('strong', { class: 'charge' }, c.amount + ' ' + c.currency),
        ' (' + c.unitMonthlyPrice + ' a month × ' + quote.count + ' × ' + c.daysRemaining + ' of '
          + c.daysInMonth + ' days left this month). Usable from about ', when(quote.activatesAt), '.');
      confirmAdd.hidden = false;
      confirmButton.focus();
    });
  } }, addCount, addButton);

  confirmButton.addEventListener('click', async () => {
    if (!order || confirmButton.disabled) {
      return;
    }
    confirmButton.disabled = true; // a second click meanwhile does nothing; a retry later sends the same key
    say(message, '');
    try {
      const purchase = await api('POST', '/licenses/' + encodeURIComponent(type) + '/purchases',
        { body: { count: order.count }, headers: { 'Idempotency-Key': order.key } });
      order = null;
      confirmAdd.hidden = true;
      fill(message, 'Bought ' + seats(purchase.count) + ': charged ',
        h('strong', { class: 'charged' }, purchase.charge.amount + ' ' + purchase.charge.currency),
        '; usable from ', when(purchase.activatesAt), '.');
      addButton.focus();
      refresh();
    } catch (error) {
      const retry = error.status === 0 || error.status >= 500;
      say(message, error.message + (retry ? ' Confirm again to retry: it will not be charged twice.' : ''));
    } finally {
      confirmButton.disabled = false;
    }
  });
  cancelButton.addEventListener('click', () => {
    order = null;
    confirmAdd.hidden = true;
    addButton.focus();
  });

  // Remove: a confirmation saying when it takes effect, then the removal; the API answers the exact date.
  const removeCount = field('Seats to remove', { type: 'number', min: 1, max: 10000, value: 1, inputmode: 'numeric',
    name: 'remove-count' });
  const removeButton = h('button', { type: 'submit', class: 'remove' }, 'Remove…');
  const confirmRemoveText = h('p', { class: 'confirm-text' });
  const confirmRemoveButton = h('button', { type: 'button', class: 'confirm-remove' }, 'Confirm removal');
  const cancelRemoveButton = h('button', { type: 'button' }, 'Cancel');
  const confirmRemove = h('div', { class: 'confirm', role: 'group', 'aria-label': 'Confirm the removal',
    hidden: true }, confirmRemoveText, h('div', { class: 'buttons' }, confirmRemoveButton, cancelRemoveButton));
  let removal = null;

  const removeForm = h('form', { class: 'inline', novalidate: true, onsubmit: (event) => {
    event.preventDefault();
    const raw = removeCount.input.value.trim();
    const count = Number(raw);
    if (!Number.isInteger(count) || count < 1) {
      say(message, 'Enter how many seats to remove: a whole number from 1.');
      return;
    }
    removal = { count, key: newKey() };
    say(message, '');
    fill(confirmRemoveText, 'Remove ' + seats(count) + ' of type ' + type + '? They stay usable until the next '
      + 'billing cycle, 00:00 on the 1st of next month, and are not billed from then on.');
    confirmRemove.hidden = false;
    confirmRemoveButton.focus();
  } }, removeCount, removeButton);

  confirmRemoveButton.addEventListener('click', async () => {
    if (!removal || confirmRemoveButton.disabled) {
      return;
    }
    confirmRemoveButton.disabled = true;
    say(message, '');
    try {
      const done = await api('POST', '/licenses/' + encodeURIComponent(type) + '/removals',
        { body: { count: removal.count }, headers: { 'Idempotency-Key': removal.key } });
      removal = null;
      confirmRemove.hidden = true;
      fill(message, 'Removal of ' + seats(done.count) + ' scheduled: effective ', when(done.effectiveAt), '.');
      removeButton.focus();
      refresh();
    } catch (error) {
      say(message, error);
    } finally {
      confirmRemoveButton.disabled = false;
    }
  });
  cancelRemoveButton.addEventListener('click', () => {
    removal = null;
    confirmRemove.hidden = true;
    removeButton.focus();
  });

  const element = h('section', { class: 'window', 'aria-labelledby': titleId, dataset: { type } },
    h('h3', { id: titleId }, title(type)),
    h('dl', { class: 'counts' }, LABELS.map(([key, label]) => {
      counts[key] = h('dd', { class: key }, '…');
      return h('div', {}, h('dt', {}, label), counts[key]);
    })),
    h('h4', {}, 'Pending purchases'), pending,
    h('h4', {}, 'Scheduled removals'), removals,
    campaigns,
    addForm, confirmAdd, removeForm, confirmRemove, message);

  function update(current, gatewayNow) {
    for (const [key] of LABELS) {
      counts[key].textContent = String(current[key]);
    }
    fill(pending, current.pending.length === 0 ? h('li', { class: 'none' }, 'None')
      : current.pending.map((p) => h('li', {}, seats(p.count) + ', usable from ', when(p.activatesAt), ' (',
        h('span', { class: 'countdown', dataset: { at: p.activatesAt } }, countdown(p.activatesAt, gatewayNow)),
        ')')));
    fill(removals, current.scheduledRemovals.length === 0 ? h('li', { class: 'none' }, 'None')
      : current.scheduledRemovals.map((r) => h('li', {}, seats(r.count) + ', effective ', when(r.effectiveAt))));
    const names = Object.entries(current.campaigns || {});
    fill(campaigns, names.length === 0 ? '' : 'Campaigns: ' + names.map(([name, c]) => name + ' ' + c.inUse
      + ' in use' + (c.max === null ? '' : ', max ' + c.max) + (c.reserved ? ', reserved ' + c.reserved : ''))
      .join('; '));
  }

  return { element, update };
}
