/*
 * Beacon's live dashboard. It reads the registry only through the public API, like any client:
 * the watch stream keeps the services and instances current (stream.js, model.js), GET /v1/registry
 * is sampled for the facts and the chart (facts.js), and an admin's actions are the API's own
 * calls (actions.js). With security on it asks for a bearer token (api.js).
 */

import { SignedOut, call, forgetToken, onUnauthorized, saveToken, token, whoami } from './api.js';
import { actionButtons } from './actions.js';
import { byId, hideNotice, showNotice } from './dom.js';
import { logEvent } from './events.js';
import { createChart, pollFacts } from './facts.js';
import { RegistryModel } from './model.js';
import { watch } from './stream.js';
import { renderInstances, renderServices, showHeartbeats, updateTimes } from './tables.js';

const FACTS_EVERY_MS = 2000;
const HEARTBEATS_EVERY_MS = 3000;

const model = new RegistryModel();
const view = { selected: null, filter: '', sort: { key: 'instanceId', ascending: true } };
let who = null;
let stopWatching = () => {};
let renderQueued = false;

const isAdmin = () => !!who && who.roles.includes('admin');

function setConnection(state, text) {
  const pill = byId('connection');
  pill.dataset.state = state;
  pill.textContent = text;
}

// ---- rendering, at most once a frame -------------------------------------------------------------

function render() {
  renderQueued = false;
  const names = model.names();
  if (!names.includes(view.selected)) {
    view.selected = names[0] ?? null;
  }
  renderServices({ model, selected: view.selected, filter: view.filter, onChoose: choose });
  renderInstances({
    model,
    selected: view.selected,
    sort: view.sort,
    showOwner: !!who?.security || model.instances(view.selected).some((instance) => instance.owner),
    actions: isAdmin() ? actionButtons : null
  });
}

function scheduleRender() {
  if (!renderQueued) {
    renderQueued = true;
    requestAnimationFrame(render);
  }
}

function choose(name) {
  view.selected = name;
  refreshHeartbeats();
  scheduleRender();
}

/**
 * Heartbeats change nothing the stream reports, so the chosen service is read now and then for its
 * last-heartbeat times.
 */
async function refreshHeartbeats() {
  const service = view.selected;
  if (!service || !who) {
    return;
  }
  try {
    const response = await call('GET', `/v1/services/${encodeURIComponent(service)}?status=ALL`);
    if (response.ok) {
      showHeartbeats(model.updateHeartbeats(service, (await response.json()).instances));
    }
  } catch (unreachable) {
    // the connection status already says so
  }
}

// ---- the stream ----------------------------------------------------------------------------------

function onStreamState(state, detail) {
  if (state === 'live') {
    setConnection('live', 'Live');
  } else if (state === 'reconnecting') {
    setConnection('reconnecting', 'Reconnecting…');
  } else if (state === 'unauthorized') {
    askForToken('The registry refused this token. Enter a valid one.');
  } else if (state === 'forbidden') {
    setConnection('forbidden', 'No read access');
    showNotice(`This token may not read the registry: ${detail}`);
  }
}

function onStreamEvent(type, data, id) {
  const change = model.apply(type, data, id);
  if (change) {
    logEvent(change);
  }
  scheduleRender();
}

// ---- tokens --------------------------------------------------------------------------------------

function askForToken(reason) {
  stopWatching();
  who = null;
  setConnection('signed-out', 'Signed out');
  byId('token-reason').textContent = reason || 'This registry needs a token with the read role.';
  const dialog = byId('token-dialog');
  if (!dialog.open) {
    byId('token').value = '';
    dialog.showModal();
  }
}

onUnauthorized(askForToken);

byId('token-form').addEventListener('submit', () => {
  const value = byId('token').value.trim();
  if (value) {
    saveToken(value);
    start();
  }
});

byId('token-dialog').addEventListener('cancel', (event) => event.preventDefault());

byId('sign-out').addEventListener('click', () => {
  forgetToken();
  model.clear();
  scheduleRender();
  askForToken('Token forgotten. Enter a token to continue.');
});

// ---- controls and start --------------------------------------------------------------------------

byId('service-filter').addEventListener('input', (event) => {
  view.filter = event.target.value.trim().toLowerCase();
  scheduleRender();
});

document.querySelectorAll('#instance-table th[data-sort] button').forEach((button) => {
  button.addEventListener('click', () => {
    const key = button.parentElement.dataset.sort;
    view.sort = { key, ascending: view.sort.key === key ? !view.sort.ascending : true };
    scheduleRender();
  });
});

async function start() {
  hideNotice();
  try {
    who = await whoami();
  } catch (failure) {
    if (!(failure instanceof SignedOut)) {
      setConnection('reconnecting', 'Reconnecting…');
      setTimeout(start, 2000);
    }
    return;
  }
  byId('identity').textContent = who.security ? `Signed in as ${who.name} (${who.roles.join(', ')})` : '';
  byId('sign-out').hidden = !(who.security && token());
  if (who.security && !who.roles.includes('read')) {
    setConnection('forbidden', 'No read access');
    showNotice('This token has no read role: the dashboard cannot show the registry.');
    return;
  }
  stopWatching();
  stopWatching = watch({ lastIndex: () => model.index, onEvent: onStreamEvent, onState: onStreamState });
  pollFacts();
  refreshHeartbeats();
  scheduleRender();
}

createChart();
setInterval(() => who && pollFacts(), FACTS_EVERY_MS);
setInterval(refreshHeartbeats, HEARTBEATS_EVERY_MS);
setInterval(updateTimes, 1000);
start();
