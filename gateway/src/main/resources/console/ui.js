// Small DOM helpers. Every text from the API goes in as a text node (never as HTML), so nothing it holds runs.

import { signedIn } from './api.js';

/** An element: h('button', {type: 'button', onclick: f}, 'Add'). Attributes starting with "on" are listeners. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name.startsWith('on')) {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else {
      element.setAttribute(name, value === true ? '' : value);
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat()) {
    if (child !== undefined && child !== null && child !== false) {
      element.append(child instanceof Node ? child : String(child));
    }
  }
}

/** Replaces the children of an element. */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

let ids = 0;

/** A fresh element id, for labels. */
export function newId(prefix) {
  ids += 1;
  return prefix + '-' + ids;
}

/** A labelled input: [label, input], the input reachable as .input. */
export function field(labelText, attributes = {}) {
  const id = newId('field');
  const input = h(attributes.tag || 'input', { ...attributes, tag: undefined, id });
  const label = h('label', { for: id }, labelText);
  const wrapper = h('div', { class: 'field' }, label, input);
  wrapper.input = input;
  return wrapper;
}

/** An instant as the tenant reads it: in the tenant's zone, inside a <time> holding the API's own value. */
export function when(iso) {
  if (!iso) {
    return '—';
  }
  const zone = (signedIn() || {}).timeZone || 'UTC';
  let text;
  try {
    text = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, dateStyle: 'medium', timeStyle: 'medium',
    }).format(new Date(iso)) + ' ' + zone;
  } catch {
    text = iso;
  }
  return h('time', { datetime: iso, title: iso }, text);
}

/** "in 4:59", "in 1:02:03", or "now" for what is due; now is the gateway's time as this page estimates it. */
export function countdown(iso, now = Date.now()) {
  const seconds = Math.ceil((new Date(iso).getTime() - now) / 1000);
  if (seconds <= 0) {
    return 'now';
  }
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = String(seconds % 60).padStart(2, '0');
  return 'in ' + (hours > 0 ? hours + ':' + String(minutes).padStart(2, '0') : minutes) + ':' + rest;
}

/** Shows a message (an error's message, or text) in an element; empty clears it. */
export function say(element, what) {
  element.textContent = what instanceof Error ? what.message : (what || '');
}

/**
 * Keeps a table body's rows in step with a list without rebuilding rows that stay, so focus and half-typed forms
 * survive a refresh: create(item) makes a row, update(row, item) refreshes its cells.
 */
export function syncRows(tbody, items, key, create, update) {
  const old = new Map([...tbody.children].map((row) => [row.dataset.key, row]));
  const rows = items.map((item) => {
    const k = String(key(item));
    let row = old.get(k);
    if (row) {
      old.delete(k);
    } else {
      row = create(item);
      row.dataset.key = k;
    }
    update(row, item);
    return row;
  });
  old.forEach((row) => row.remove());
  const inOrder = rows.every((row, i) => tbody.children[i] === row) && tbody.children.length === rows.length;
  if (!inOrder) {
    rows.forEach((row) => tbody.append(row));
  }
}

/** A table with a caption and column headers; its tbody as .body. */
export function table(caption, headers) {
  const body = h('tbody');
  const element = h('table', {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, headers.map((text) => h('th', { scope: 'col' }, text)))),
    body);
  element.body = body;
  return element;
}

/** Runs an action from a button: disabled while it runs, its error shown in messageElement. */
export async function busy(button, messageElement, action) {
  button.disabled = true;
  say(messageElement, '');
  try {
    return await action();
  } catch (error) {
    say(messageElement, error);
    return undefined;
  } finally {
    button.disabled = false;
  }
}
