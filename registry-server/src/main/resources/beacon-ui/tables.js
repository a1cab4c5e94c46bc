/*
 * The services table (counts by status, filter) and the instances table of the chosen service
 * (sortable, flashing on a status change, admin actions when allowed).
 */

import { STATUSES } from './model.js';
import { badge, byId, el } from './dom.js';

/**
 * @param view {model, selected, filter, onChoose(name)}
 */
export function renderServices({ model, selected, filter, onChoose }) {
  const names = model.names();
  const tbody = document.querySelector('#service-table tbody');
  const focused = document.activeElement?.dataset?.service;
  tbody.textContent = '';
  const shown = names.filter((name) => !filter || name.includes(filter));
  for (const name of shown) {
    const row = el('tr', null, name === selected ? 'selected' : '');
    row.dataset.service = name;
    const button = el('button', name, 'service-button');
    button.type = 'button';
    button.dataset.service = name;
    button.setAttribute('aria-pressed', String(name === selected));
    button.addEventListener('click', () => onChoose(name));
    const badges = el('td');
    const counts = model.counts(name);
    STATUSES.forEach((status) => badges.append(badge(status, counts[status])));
    const nameCell = el('td');
    nameCell.append(button);
    row.append(nameCell, el('td', String(model.instances(name).length), 'total'), badges);
    tbody.append(row);
    if (focused === name) {
      button.focus();
    }
  }
  byId('no-services').hidden = shown.length > 0;
  byId('no-services').textContent = names.length ? 'No service matches the filter.' : 'No service is registered.';
}

function sortValue(instance, key) {
  if (key === 'address') {
    return `${instance.host}:${String(instance.port).padStart(5, '0')}`;
  }
  if (key === 'status') {
    return STATUSES.indexOf(instance.status);
  }
  return instance[key] ?? '';
}

/**
 * @param view {model, selected, sort: {key, ascending}, showOwner, actions(service, instance) or null}
 */
export function renderInstances({ model, selected, sort, showOwner, actions }) {
  const direction = sort.ascending ? 1 : -1;
  const instances = model.instances(selected).sort((a, b) => {
    const x = sortValue(a, sort.key);
    const y = sortValue(b, sort.key);
    if (x !== y) {
      return x < y ? -direction : direction;
    }
    return a.instanceId < b.instanceId ? -1 : 1;
  });
  byId('instances-title').textContent = selected ? `Instances of ${selected}` : 'Instances';
  document.querySelectorAll('#instance-table th[data-sort]').forEach((th) => {
    if (th.dataset.sort === sort.key) {
      th.setAttribute('aria-sort', sort.ascending ? 'ascending' : 'descending');
    } else {
      th.removeAttribute('aria-sort');
    }
  });
  document.querySelector('.owner-col').hidden = !showOwner;
  document.querySelector('.actions-col').hidden = !actions;
  const tbody = document.querySelector('#instance-table tbody');
  const focused = document.activeElement?.dataset;
  const refocus = focused?.action ? { id: focused.instance, action: focused.action } : null;
  tbody.textContent = '';
  for (const instance of instances) {
    const row = el('tr', null, model.flashing(selected, instance.instanceId) ? 'flash' : '');
    row.dataset.instance = instance.instanceId;
    row.dataset.status = instance.status;
    const status = el('td', null, 'status');
    status.append(badge(instance.status));
    const metadata = el('td');
    Object.keys(instance.metadata || {}).sort()
      .forEach((key) => metadata.append(el('span', `${key}=${instance.metadata[key]}`, 'meta')));
    row.append(el('td', instance.instanceId, 'mono'),
      el('td', `${instance.secure ? 'https://' : ''}${instance.host}:${instance.port}`, 'address mono'),
      status, el('td', instance.zone || '–'), metadata);
    if (showOwner) {
      row.append(el('td', instance.owner || '–'));
    }
    row.append(timeCell('registeredAt', instance.registeredAt), timeCell('lastHeartbeatAt', instance.lastHeartbeatAt),
      el('td', `${instance.leaseTtlSeconds} s`, 'lease'));
    if (actions) {
      const cell = el('td');
      cell.append(actions(selected, instance));
      row.append(cell);
    }
    tbody.append(row);
  }
  if (refocus) {
    tbody.querySelector(`button[data-instance="${CSS.escape(refocus.id)}"][data-action="${refocus.action}"]`)?.focus();
  }
  byId('no-instances').hidden = !!selected;
  updateTimes();
}

function timeCell(field, iso) {
  const cell = el('td', null, 'when');
  cell.dataset.field = field;
  const time = el('time');
  setTime(time, iso);
  cell.append(time);
  return cell;
}

function setTime(time, iso) {
  time.dateTime = iso || '';
  time.dataset.relative = 'true';
  time.title = iso ? new Date(iso).toLocaleString() : '';
}

/** Shows newer last-heartbeat times in place (a re-render would restart the flashes). */
export function showHeartbeats(instances) {
  for (const instance of instances) {
    const time = document.querySelector(`#instance-table tr[data-instance="${CSS.escape(instance.instanceId)}"]`
      + ' td[data-field="lastHeartbeatAt"] time');
    if (time) {
      setTime(time, instance.lastHeartbeatAt);
    }
  }
  updateTimes();
}

function ago(iso, now) {
  if (!iso) {
    return '–';
  }
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) {
    return `${seconds} s ago`;
  }
  return seconds < 3600 ? `${Math.floor(seconds / 60)} min ago` : `${Math.floor(seconds / 3600)} h ago`;
}

/** Relative times ("3 s ago") move on every second. */
export function updateTimes() {
  const now = Date.now();
  document.querySelectorAll('time[data-relative]').forEach((time) => {
    const text = ago(time.dateTime, now);
    if (time.textContent !== text) {
      time.textContent = text;
    }
  });
}
