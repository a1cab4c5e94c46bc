/*
 * What an admin may do to an instance, through the API's own calls: set it DRAINING or UP
 * (PUT .../status) or deregister it (DELETE), each only after a confirmation.
 */

import { SignedOut, call, instancePath, problemText } from './api.js';
import { byId, el, hideNotice, showNotice } from './dom.js';

const ACTIONS = {
  drain: {
    label: 'Drain',
    question: (what) => `Set ${what} DRAINING? Clients stop choosing it at once.`,
    send: (path) => call('PUT', `${path}/status`, { status: 'DRAINING' })
  },
  up: {
    label: 'Set UP',
    question: (what) => `Set ${what} UP? Clients start choosing it at once.`,
    send: (path) => call('PUT', `${path}/status`, { status: 'UP' })
  },
  deregister: {
    label: 'Deregister',
    question: (what) => `Deregister ${what}? It leaves the registry `
      + '(a running instance registers again with its next heartbeat).',
    send: (path) => call('DELETE', path)
  }
};

let pending = null;

/** The buttons for one instance: only the actions that change something. */
export function actionButtons(service, instance) {
  const box = el('div', null, 'actions');
  const names = ['drain', 'up', 'deregister'].filter((name) =>
    !(name === 'drain' && instance.status === 'DRAINING') && !(name === 'up' && instance.status === 'UP'));
  for (const name of names) {
    const button = el('button', ACTIONS[name].label, name === 'deregister' ? 'danger' : 'quiet');
    button.type = 'button';
    button.dataset.action = name;
    button.dataset.instance = instance.instanceId;
    button.setAttribute('aria-label', `${ACTIONS[name].label} ${instance.instanceId}`);
    button.addEventListener('click', () => confirm(service, instance.instanceId, name));
    box.append(button);
  }
  return box;
}

function confirm(service, instanceId, name) {
  const action = ACTIONS[name];
  pending = { path: instancePath(service, instanceId), action };
  byId('confirm-text').textContent = action.question(`${service} / ${instanceId}`);
  byId('confirm-ok').textContent = action.label;
  byId('confirm-ok').className = name === 'deregister' ? 'danger' : '';
  const dialog = byId('confirm');
  dialog.returnValue = '';
  dialog.showModal();
}

byId('confirm').addEventListener('close', async () => {
  const chosen = pending;
  pending = null;
  if (!chosen || byId('confirm').returnValue !== 'ok') {
    return;
  }
  try {
    const response = await chosen.action.send(chosen.path);
    if (response.ok) {
      hideNotice();
    } else {
      showNotice(`The registry refused: ${await problemText(response)}`);
    }
  } catch (failure) {
    if (!(failure instanceof SignedOut)) {
      showNotice(`The registry could not be reached: ${failure.message}`);
    }
  }
});
