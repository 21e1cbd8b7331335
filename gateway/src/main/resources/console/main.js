// The console: sign in, the views (one per #hash), and the refresh that keeps the visible view current.

import { signIn, signOut, signedIn } from './api.js';
import { say } from './ui.js';
import { licensesView } from './licenses.js';
import { agentsView } from './agents.js';
import { sessionsView, queueView, campaignsView, standingView, billingView } from './lists.js';

/** How often the visible view reads its counts again. */
const REFRESH_MS = 3000;

const $ = (id) => document.getElementById(id);
const notice = $('notice');

/** Each view: mount(element) once after sign-in, refresh() to read the API again. */
const views = {
  licenses: licensesView($('license-windows'), notice),
  agents: agentsView($('agents'), notice),
  sessions: sessionsView($('sessions'), notice),
  queue: queueView($('queue'), notice),
  campaigns: campaignsView($('campaigns'), notice),
  standing: standingView($('standing'), notice),
  billing: billingView($('billing'), notice),
};

let current = null;
let timer = null;

function show() {
  const who = signedIn();
  $('sign-in').hidden = !!who;
  $('console').hidden = !who;
  $('sign-out').hidden = !who;
  clearInterval(timer);
  timer = null;
  if (!who) {
    $('who').textContent = '';
    current = null;
    $('sign-in-tenant').focus();
    return;
  }
  $('who').textContent = 'Tenant ' + who.tenant + ' · ' + who.timeZone;
  let name = location.hash.slice(1);
  if (!views[name]) {
    name = 'licenses';
    history.replaceState(null, '', '#licenses');
  }
  for (const key of Object.keys(views)) {
    $('view-' + key).hidden = key !== name;
  }
  for (const link of document.querySelectorAll('nav.views a')) {
    if (link.getAttribute('href') === '#' + name) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }
  current = views[name];
  say(notice, '');
  current.refresh();
  timer = setInterval(() => {
    if (!document.hidden && current) {
      current.refresh();
    }
  }, REFRESH_MS);
}

$('sign-in-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const button = event.target.querySelector('button');
  const tenant = $('sign-in-tenant').value.trim();
  const token = $('sign-in-token').value.trim();
  const error = $('sign-in-error');
  if (!tenant || !token) {
    say(error, 'Enter a tenant id and an admin token.');
    return;
  }
  button.disabled = true;
  say(error, '');
  try {
    await signIn(tenant, token);
    $('sign-in-token').value = '';
    show();
  } catch (failure) {
    say(error, failure);
  } finally {
    button.disabled = false;
  }
});

$('sign-out').addEventListener('click', () => {
  signOut();
  location.hash = '';
  Object.values(views).forEach((view) => view.reset && view.reset());
  show();
});

window.addEventListener('hashchange', show);
show();
