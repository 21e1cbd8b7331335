// Agents: a paged table with a search box over the page, who is logged in, and the row actions of the provider's
// dashboard: Clone (new id, name, password → "Start clone"), Modify, Log out (ends its session), Delete.

import { api, ApiError } from './api.js';
import { busy, field, fill, h, newId, say, syncRows, table } from './ui.js';

/** Agents per page. */
const PAGE = 50;

const enc = encodeURIComponent;

/** The license types of the catalog, in its order (the keys of GET .../licenses). */
export async function licenseTypes() {
  return Object.keys((await api('GET', '/licenses')).licenses);
}

/** The session of a logged-in agent, looked up page by page. */
async function sessionOf(agentId) {
  let cursor = null;
  do {
    const page = await api('GET', '/sessions?limit=1000' + (cursor ? '&cursor=' + enc(cursor) : ''));
    const found = page.sessions.find((s) => s.agentId === agentId);
    if (found) {
      return found;
    }
    cursor = page.nextCursor;
  } while (cursor);
  return null;
}

/**
 * Shows an API refusal next to the field it names ("field 'password' must be ..."), marked invalid and focused;
 * other refusals at the end of the form.
 */
function showRefusal(form, fields, error, fallback) {
  for (const f of Object.values(fields)) {
    f.input.removeAttribute('aria-invalid');
  }
  const named = /'([A-Za-z]+)'/.exec(error.message || '');
  const target = error.code === 'AGENT_EXISTS' ? fields.agentId : named && fields[named[1]];
  const message = h('p', { class: 'error', role: 'alert', id: newId('error') }, error.message);
  form.querySelectorAll('p.error').forEach((p) => p.remove());
  if (target) {
    target.input.setAttribute('aria-invalid', 'true');
    target.input.setAttribute('aria-describedby', message.id);
    target.append(message);
    target.input.focus();
  } else {
    fallback.append(message);
  }
}

export function agentsView(root, notice) {
  let cursor = null;
  let nextCursor = null;
  let agents = [];
  let types = null;
  const status = h('p', { class: 'message', role: 'status' });
  const search = field('Search this page (id or name)', { type: 'search', name: 'search', autocomplete: 'off' });
  search.input.addEventListener('input', render);
  const first = h('button', { type: 'button', onclick: () => { cursor = null; refresh(); } }, 'First page');
  const next = h('button', { type: 'button', onclick: () => { cursor = nextCursor; refresh(); } }, 'Next page');
  const create = h('button', { type: 'button', onclick: () => openForm(newAgentForm()) }, 'New agent…');
  const panel = h('div', { class: 'panel-slot' });
  const grid = table('Agents of this page', ['Agent id', 'Name', 'License types', 'Campaigns', 'Enabled',
    'Logged in', 'Actions']);
  const empty = h('p', { class: 'none' });
  let mounted = false;

  function mount() {
    fill(root, h('div', { class: 'toolbar' }, search, h('div', { class: 'buttons' }, first, next, create)),
      status, panel, h('div', { class: 'scroll' }, grid), empty);
    mounted = true;
  }

  async function refresh() {
    if (!mounted) {
      mount();
    }
    try {
      const page = await api('GET', '/agents?limit=' + PAGE + (cursor ? '&cursor=' + enc(cursor) : ''));
      agents = page.agents;
      nextCursor = page.nextCursor;
      next.disabled = !nextCursor;
      first.disabled = !cursor;
      say(notice, '');
      render();
    } catch (error) {
      say(notice, error);
    }
  }

  function render() {
    const query = search.input.value.trim().toLowerCase();
    const shown = agents.filter((a) => !query || a.agentId.toLowerCase().includes(query)
      || a.name.toLowerCase().includes(query));
    syncRows(grid.body, shown, (a) => a.agentId, row, update);
    empty.textContent = shown.length > 0 ? '' : agents.length > 0 ? 'No agent of this page matches.'
      : 'No agents yet.';
  }

  function row(agent) {
    const cells = ['agentId', 'name', 'licenseTypes', 'campaigns', 'enabled', 'loggedIn'].map((name) =>
      h('td', { class: name }));
    const logout = h('button', { type: 'button', class: 'logout' }, 'Log out');
    const tr = h('tr', {}, cells, h('td', { class: 'actions' },
      h('button', { type: 'button', class: 'clone', onclick: () => openForm(cloneForm(tr.agent)) }, 'Clone'),
      h('button', { type: 'button', class: 'modify', onclick: () => openForm(modifyForm(tr.agent)) }, 'Modify'),
      logout,
      h('button', { type: 'button', class: 'delete', onclick: () => openForm(deleteForm(tr.agent)) }, 'Delete')));
    logout.addEventListener('click', () => busy(logout, status, async () => {
      const session = await sessionOf(tr.agent.agentId);
      if (session) {
        await api('DELETE', '/sessions/' + enc(session.sessionId));
      }
      say(status, 'Agent ' + tr.agent.agentId + ' logged out.');
      refresh();
    }));
    tr.tds = cells;
    tr.logout = logout;
    return tr;
  }

  function update(tr, agent) {
    tr.agent = agent;
    const [id, name, licenses, campaigns, enabled, loggedIn] = tr.tds;
    id.textContent = agent.agentId;
    name.textContent = agent.name;
    licenses.textContent = agent.licenseTypes.join(', ');
    campaigns.textContent = agent.campaigns === null ? 'every campaign' : agent.campaigns.join(', ') || 'none';
    enabled.textContent = agent.enabled ? 'yes' : 'no (disabled)';
    loggedIn.textContent = agent.loggedIn ? 'logged in' : '—';
    tr.logout.hidden = !agent.loggedIn;
    for (const button of tr.querySelectorAll('button')) {
      button.setAttribute('aria-label', button.textContent + ' agent ' + agent.agentId);
    }
  }

  /** Shows one form in the panel above the table; closing it returns the focus where it was. */
  function openForm(form) {
    const back = document.activeElement;
    form.close = () => {
      fill(panel);
      if (back && back.isConnected) {
        back.focus();
      }
    };
    fill(panel, form);
    const firstInput = form.querySelector('input, button');
    if (firstInput) {
      firstInput.focus();
    }
  }

  function formOf(heading, hint, fields, submitText, send, done) {
    const submit = h('button', { type: 'submit' }, submitText);
    const end = h('div', { class: 'form-end' });
    const form = h('form', { class: 'panel', novalidate: true, 'aria-label': heading },
      h('h3', {}, heading), hint ? h('p', { class: 'hint' }, hint) : null, Object.values(fields),
      h('div', { class: 'buttons' }, submit, h('button', { type: 'button', onclick: () => form.close() }, 'Cancel')),
      end);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      submit.disabled = true;
      try {
        const answer = await send();
        form.close();
        say(status, done(answer));
        refresh();
      } catch (error) {
        showRefusal(form, fields, error, end);
      } finally {
        submit.disabled = false;
      }
    });
    return form;
  }

  function credentials() {
    return {
      agentId: field('New agent id', { name: 'agentId', autocomplete: 'off' }),
      name: field('Name', { name: 'name', autocomplete: 'off' }),
      password: field('Password (8 to 128 characters)', { type: 'password', name: 'password',
        autocomplete: 'new-password' }),
    };
  }

  function cloneForm(source) {
    const fields = credentials();
    return formOf('Clone agent ' + source.agentId + ' (' + source.name + ')',
      'The new agent gets its own id, name and password, and the license types, enabled state, attributes and '
        + 'campaigns of ' + source.agentId + '.',
      fields, 'Start clone',
      () => api('POST', '/agents/' + enc(source.agentId) + '/clone', { body: {
        agentId: fields.agentId.input.value.trim(), name: fields.name.input.value,
        password: fields.password.input.value } }),
      (agent) => 'Agent ' + agent.agentId + ' (' + agent.name + ') created as a clone of ' + source.agentId + '.');
  }

  function typeBoxes(checked) {
    const group = h('fieldset', { class: 'types' }, h('legend', {}, 'License types'));
    group.boxes = (types || []).map((type) => {
      const id = newId('type');
      const box = h('input', { type: 'checkbox', id, value: type, checked: checked.includes(type) });
      group.append(h('label', { for: id, class: 'check' }, box, ' ' + type));
      return box;
    });
    group.input = group.boxes[0] || group; // where a refusal naming 'licenseTypes' is marked
    group.selected = () => group.boxes.filter((b) => b.checked).map((b) => b.value);
    return group;
  }

  function newAgentForm() {
    const fields = { ...credentials(), licenseTypes: typeBoxes(types || []) };
    return formOf('New agent', 'Usually an agent is cloned from an existing one; this makes one from scratch.',
      fields, 'Create agent',
      () => api('POST', '/agents', { body: { agentId: fields.agentId.input.value.trim(),
        name: fields.name.input.value, password: fields.password.input.value,
        licenseTypes: fields.licenseTypes.selected() } }),
      (agent) => 'Agent ' + agent.agentId + ' created.');
  }

  function modifyForm(agent) {
    const fields = {
      name: field('Name', { name: 'name', value: agent.name, autocomplete: 'off' }),
      password: field('New password (leave empty to keep it)', { type: 'password', name: 'password',
        autocomplete: 'new-password' }),
      licenseTypes: typeBoxes(agent.licenseTypes),
      campaigns: field('Campaigns (comma-separated; empty: every campaign)', { name: 'campaigns',
        value: agent.campaigns === null ? '' : agent.campaigns.join(', '), autocomplete: 'off' }),
      enabled: h('div', { class: 'field' }),
    };
    const enabledId = newId('enabled');
    const enabledBox = h('input', { type: 'checkbox', id: enabledId, checked: agent.enabled });
    fields.enabled.append(h('label', { for: enabledId, class: 'check' }, enabledBox,
      ' Enabled (disabling logs the agent out at once)'));
    fields.enabled.input = enabledBox;
    return formOf('Modify agent ' + agent.agentId, null, fields, 'Save changes', () => {
      const body = {};
      if (fields.name.input.value !== agent.name) {
        body.name = fields.name.input.value;
      }
      if (fields.password.input.value) {
        body.password = fields.password.input.value;
      }
      const chosen = fields.licenseTypes.selected();
      if (chosen.join() !== agent.licenseTypes.join()) {
        body.licenseTypes = chosen;
      }
      const text = fields.campaigns.input.value.trim();
      const campaigns = text ? text.split(',').map((c) => c.trim()).filter(Boolean) : null;
      if (JSON.stringify(campaigns) !== JSON.stringify(agent.campaigns)) {
        body.campaigns = campaigns;
      }
      if (enabledBox.checked !== agent.enabled) {
        body.enabled = enabledBox.checked;
      }
      if (Object.keys(body).length === 0) {
        return Promise.reject(new ApiError(400, 'UNCHANGED', 'Nothing was changed.'));
      }
      return api('PATCH', '/agents/' + enc(agent.agentId), { body });
    }, (changed) => 'Agent ' + changed.agentId + ' saved.');
  }

  function deleteForm(agent) {
    return formOf('Delete agent ' + agent.agentId + ' (' + agent.name + ')?',
      'Its login stops working at once' + (agent.loggedIn ? ', and its session ends now' : '') + '.',
      {}, 'Delete agent', () => api('DELETE', '/agents/' + enc(agent.agentId)),
      () => 'Agent ' + agent.agentId + ' deleted.');
  }

  async function refreshAll() {
    if (types === null) {
      try {
        types = await licenseTypes();
      } catch (error) {
        say(notice, error);
        return;
      }
    }
    await refresh();
  }

  function reset() {
    mounted = false;
    cursor = null;
    agents = [];
    types = null;
    fill(root);
    fill(grid.body);
    fill(panel);
  }

  return { refresh: refreshAll, reset };
}
