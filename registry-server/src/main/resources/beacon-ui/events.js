/* The live event log: the latest changes first, with their cause. */

import { badge, byId, el } from './dom.js';

const MAX_EVENTS = 200;

export function logEvent(change) {
  const item = el('li');
  const time = el('time');
  const now = new Date();
  time.dateTime = now.toISOString();
  time.textContent = now.toTimeString().substring(0, 8);
  item.append(time, el('span', change.cause.replace(/_/g, ' '), `cause ${change.cause}`));
  if (change.instance) {
    item.append(el('span', `${change.service} / ${change.instance.instanceId}`), badge(change.instance.status));
  }
  const list = byId('events');
  list.prepend(item);
  while (list.children.length > MAX_EVENTS) {
    list.lastChild.remove();
  }
  byId('no-events').hidden = true;
}
