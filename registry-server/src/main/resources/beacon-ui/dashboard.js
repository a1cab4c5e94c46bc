/*
 * Beacon's live dashboard. It reads the registry only through the public API: the watch stream
 * (GET /v1/watch) keeps the services and instances current, GET /v1/registry is sampled for the
 * facts and the chart, and the admin actions are the API's own PUT status and DELETE.
 *
 * The stream is read with fetch() rather than EventSource, because with security on every call
 * carries "Authorization: Bearer <token>" and EventSource cannot send headers. After a drop it
 * reconnects with Last-Event-ID, so the registry replays only what the page missed.
 */
(function () {
  'use strict';

  var STATUSES = ['STARTING', 'UP', 'DRAINING', 'DOWN'];
  var ALL_ROLES = ['read', 'register', 'admin'];
  var TOKEN_KEY = 'beacon.token';
  var MAX_EVENTS = 200;
  var FACTS_EVERY_MS = 2000;
  var HEARTBEATS_EVERY_MS = 3000;
  var CHART_WINDOW_S = 600;
  var FLASH_MS = 2000;

  var state = {
    services: new Map(),      // service -> Map(instanceId -> instance)
    index: null,              // the last registry index applied, sent back as Last-Event-ID
    registryId: null,
    selected: null,
    filter: '',
    sortKey: 'instanceId',
    sortAscending: true,
    flashUntil: new Map(),    // service/instanceId -> time the flash ends
    who: null,                // the answer of GET /v1/whoami
    samples: [],              // {t, heartbeats, index} from GET /v1/registry
    chartData: [[], [], []],
    stream: null              // AbortController of the open watch stream
  };

  var $ = function (id) { return document.getElementById(id); };
  var renderQueued = false;
  var chart = null;

  // ---- tokens and calls -------------------------------------------------------------------------

  function token() {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  function headers(extra) {
    var h = Object.assign({ Accept: 'application/json' }, extra || {});
    var t = token();
    if (t) {
      h.Authorization = 'Bearer ' + t;
    }
    return h;
  }

  /** A problem+json body's detail, or the status line when there is none. */
  function problemText(response) {
    return response.text().then(function (text) {
      try {
        var problem = JSON.parse(text);
        return problem.detail || problem.title || ('HTTP ' + response.status);
      } catch (e) {
        return 'HTTP ' + response.status;
      }
    });
  }

  function api(method, path, body) {
    var init = { method: method, headers: headers(), cache: 'no-store' };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(path, init).then(function (response) {
      if (response.status === 401) {
        askForToken(token() ? 'The registry refused this token. Enter a valid one.' : null);
        throw new Error('signed out');
      }
      return response;
    });
  }

  // ---- who am I ---------------------------------------------------------------------------------

  /** Resolves to the caller's roles; a registry without /v1/whoami has no security: every role. */
  function whoami() {
    return api('GET', '/v1/whoami').then(function (response) {
      if (response.status === 404) {
        return { name: null, roles: ALL_ROLES, services: [], security: false };
      }
      if (!response.ok) {
        return problemText(response).then(function (text) { throw new Error(text); });
      }
      return response.json();
    }).then(function (who) {
      state.who = who;
      $('identity').textContent = who.security ? ('Signed in as ' + (who.name || 'token') + ' (' + who.roles.join(', ') + ')') : '';
      $('sign-out').hidden = !(who.security && token());
      document.querySelector('.actions-col').hidden = !isAdmin();
      return who;
    });
  }

  function isAdmin() {
    return !!state.who && state.who.roles.indexOf('admin') >= 0;
  }

  function askForToken(reason) {
    stopStream();
    setConnection('signed-out', 'Signed out');
    $('token-reason').textContent = reason || 'This registry needs a token with the read role.';
    var dialog = $('token-dialog');
    if (!dialog.open) {
      $('token').value = '';
      dialog.showModal();
    }
  }

  $('token-form').addEventListener('submit', function () {
    var value = $('token').value.trim();
    if (value) {
      sessionStorage.setItem(TOKEN_KEY, value);
      start();
    }
  });

  $('token-dialog').addEventListener('cancel', function (event) {
    event.preventDefault();  // without a token there is nothing to show
  });

  $('sign-out').addEventListener('click', function () {
    sessionStorage.removeItem(TOKEN_KEY);
    state.who = null;
    clearState();
    askForToken('Token forgotten. Enter a token to continue.');
  });

  // ---- the watch stream -------------------------------------------------------------------------

  function setConnection(kind, text) {
    var el = $('connection');
    if (el.dataset.state !== kind || el.textContent !== text) {
      el.dataset.state = kind;
      el.textContent = text;
    }
  }

  function stopStream() {
    if (state.stream) {
      state.stream.abort();
      state.stream = null;
    }
  }

  function sleep(ms) {
    return new Promise(function (resolve) { setTimeout(resolve, ms); });
  }

  /** Opens the stream and keeps it open: on a drop, waits (capped backoff with jitter) and resumes. */
  function watch() {
    stopStream();
    var controller = new AbortController();
    state.stream = controller;
    var attempt = 0;
    var loop = function () {
      if (controller.signal.aborted) {
        return;
      }
      var h = headers({ Accept: 'text/event-stream' });
      if (state.index !== null) {
        h['Last-Event-ID'] = String(state.index);
      }
      fetch('/v1/watch', { headers: h, signal: controller.signal, cache: 'no-store' })
        .then(function (response) {
          if (response.status === 401) {
            askForToken('The registry refused this token. Enter a valid one.');
            return 'stop';
          }
          if (response.status === 403) {
            return problemText(response).then(function (text) {
              setConnection('forbidden', 'No read access');
              showNotice('This token may not read the registry: ' + text);
              return 'stop';
            });
          }
          if (!response.ok || !response.body) {
            throw new Error('the watch stream answered ' + response.status);
          }
          attempt = 0;
          setConnection('live', 'Live');
          return readEvents(response.body.getReader(), controller.signal).then(function () { return 'ended'; });
        })
        .catch(function (error) {
          return controller.signal.aborted ? 'stop' : 'dropped';
        })
        .then(function (outcome) {
          if (outcome === 'stop' || controller.signal.aborted) {
            return;
          }
          attempt++;
          setConnection('reconnecting', 'Reconnecting…');
          var delay = Math.min(10000, 500 * Math.pow(2, Math.min(attempt - 1, 5)));
          sleep(delay * (0.8 + Math.random() * 0.4)).then(loop);
        });
    };
    loop();
  }

  /** Reads Server-Sent Events (the WHATWG format: id, event, data lines, a blank line ends one). */
  function readEvents(reader, signal) {
    var decoder = new TextDecoder();
    var buffer = '';
    var event = { id: null, type: 'message', data: [] };
    var pump = function () {
      return reader.read().then(function (chunk) {
        if (chunk.done || signal.aborted) {
          return;
        }
        buffer += decoder.decode(chunk.value, { stream: true });
        var lines = buffer.split(/\r\n|\r|\n/);
        buffer = lines.pop();
        lines.forEach(function (line) {
          if (line === '') {
            if (event.data.length) {
              onEvent(event.type, event.data.join('\n'), event.id);
            }
            event = { id: null, type: 'message', data: [] };
            return;
          }
          if (line.charAt(0) === ':') {
            return;  // keep-alive or "resumed at" comment
          }
          var colon = line.indexOf(':');
          var field = colon < 0 ? line : line.substring(0, colon);
          var value = colon < 0 ? '' : line.substring(colon + 1).replace(/^ /, '');
          if (field === 'id') {
            event.id = value;
          } else if (field === 'event') {
            event.type = value;
          } else if (field === 'data') {
            event.data.push(value);
          }
        });
        return pump();
      });
    };
    return pump();
  }

  function onEvent(type, data, id) {
    var body = JSON.parse(data);
    if (type === 'snapshot') {
      var restarted = state.registryId !== null && state.registryId !== body.registryId;
      state.registryId = body.registryId;
      state.services = new Map();
      Object.keys(body.services).forEach(function (name) {
        var instances = new Map();
        body.services[name].forEach(function (instance) { instances.set(instance.instanceId, instance); });
        state.services.set(name, instances);
      });
      state.index = body.index;
      if (restarted) {
        logEvent({ cause: 'registry_restarted', service: '', instance: null });
      }
    } else {
      applyChange(type, body);
      state.index = body.index;
    }
    if (id) {
      state.index = Number(id);
    }
    scheduleRender();
  }

  function applyChange(type, change) {
    var instance = change.instance;
    var instances = state.services.get(change.service);
    var key = change.service + '/' + instance.instanceId;
    if (type === 'deregistered') {
      if (instances) {
        instances.delete(instance.instanceId);
        if (instances.size === 0) {
          state.services.delete(change.service);
        }
      }
    } else {
      if (!instances) {
        instances = new Map();
        state.services.set(change.service, instances);
      }
      var before = instances.get(instance.instanceId);
      instances.set(instance.instanceId, instance);
      if (!before || before.status !== instance.status) {
        state.flashUntil.set(key, Date.now() + FLASH_MS);
      }
    }
    logEvent(change);
  }

  function clearState() {
    state.services = new Map();
    state.index = null;
    state.registryId = null;
    scheduleRender();
  }

  // ---- the event log ----------------------------------------------------------------------------

  function logEvent(change) {
    var li = document.createElement('li');
    var time = document.createElement('time');
    var now = new Date();
    time.dateTime = now.toISOString();
    time.textContent = now.toTimeString().substring(0, 8);
    var cause = document.createElement('span');
    cause.className = 'cause ' + change.cause;
    cause.textContent = change.cause.replace(/_/g, ' ');
    li.appendChild(time);
    li.appendChild(cause);
    if (change.instance) {
      var what = document.createElement('span');
      what.textContent = change.service + ' / ' + change.instance.instanceId;
      li.appendChild(what);
      li.appendChild(badge(change.instance.status, null));
    }
    var list = $('events');
    list.insertBefore(li, list.firstChild);
    while (list.children.length > MAX_EVENTS) {
      list.removeChild(list.lastChild);
    }
    $('no-events').hidden = true;
  }

  // ---- rendering --------------------------------------------------------------------------------

  function scheduleRender() {
    if (!renderQueued) {
      renderQueued = true;
      requestAnimationFrame(function () {
        renderQueued = false;
        renderServices();
        renderInstances();
      });
    }
  }

  function badge(status, count) {
    var span = document.createElement('span');
    span.className = 'badge' + (count === 0 ? ' zero' : '');
    span.dataset.status = status;
    span.textContent = count === null ? status : (count + ' ' + status);
    return span;
  }

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) {
      node.textContent = text;
    }
    if (className) {
      node.className = className;
    }
    return node;
  }

  function renderServices() {
    var names = Array.from(state.services.keys()).sort();
    if (state.selected === null || !state.services.has(state.selected)) {
      state.selected = names.length ? names[0] : null;
    }
    var tbody = document.querySelector('#service-table tbody');
    var focusedService = document.activeElement && document.activeElement.dataset
      ? document.activeElement.dataset.service : undefined;
    tbody.textContent = '';
    var shown = 0;
    names.forEach(function (name) {
      if (state.filter && name.indexOf(state.filter) < 0) {
        return;
      }
      shown++;
      var instances = state.services.get(name);
      var counts = { STARTING: 0, UP: 0, DRAINING: 0, DOWN: 0 };
      instances.forEach(function (instance) { counts[instance.status] = (counts[instance.status] || 0) + 1; });
      var tr = document.createElement('tr');
      tr.dataset.service = name;
      if (name === state.selected) {
        tr.className = 'selected';
      }
      var cell = el('td');
      var button = el('button', name, 'service-button');
      button.type = 'button';
      button.dataset.service = name;
      button.setAttribute('aria-pressed', String(name === state.selected));
      button.addEventListener('click', function () {
        state.selected = name;
        refreshHeartbeats();
        scheduleRender();
      });
      cell.appendChild(button);
      tr.appendChild(cell);
      tr.appendChild(el('td', String(instances.size), 'total'));
      var badges = el('td');
      STATUSES.forEach(function (status) { badges.appendChild(badge(status, counts[status])); });
      tr.appendChild(badges);
      tbody.appendChild(tr);
      if (focusedService === name) {
        button.focus();
      }
    });
    $('no-services').hidden = shown > 0;
    $('no-services').textContent = names.length ? 'No service matches the filter.' : 'No service is registered.';
  }

  function sortValue(instance, key) {
    if (key === 'address') {
      return instance.host + ':' + String(instance.port).padStart(5, '0');
    }
    if (key === 'status') {
      return STATUSES.indexOf(instance.status);
    }
    var value = instance[key];
    return value === undefined || value === null ? '' : value;
  }

  function renderInstances() {
    var name = state.selected;
    var instances = name ? Array.from(state.services.get(name).values()) : [];
    $('instances-title').textContent = name ? ('Instances of ' + name) : 'Instances';
    var key = state.sortKey;
    var direction = state.sortAscending ? 1 : -1;
    instances.sort(function (a, b) {
      var x = sortValue(a, key);
      var y = sortValue(b, key);
      if (x < y) { return -direction; }
      if (x > y) { return direction; }
      return a.instanceId < b.instanceId ? -1 : 1;
    });
    document.querySelectorAll('#instance-table th[data-sort]').forEach(function (th) {
      if (th.dataset.sort === key) {
        th.setAttribute('aria-sort', state.sortAscending ? 'ascending' : 'descending');
      } else {
        th.removeAttribute('aria-sort');
      }
    });
    var showOwner = (state.who && state.who.security) || instances.some(function (i) { return i.owner; });
    document.querySelector('.owner-col').hidden = !showOwner;
    var admin = isAdmin();
    var tbody = document.querySelector('#instance-table tbody');
    var focused = document.activeElement;
    var refocus = focused && focused.dataset && focused.dataset.action
      ? { id: focused.dataset.instance, action: focused.dataset.action } : null;
    tbody.textContent = '';
    var now = Date.now();
    instances.forEach(function (instance) {
      var tr = document.createElement('tr');
      tr.dataset.instance = instance.instanceId;
      tr.dataset.status = instance.status;
      var flashKey = name + '/' + instance.instanceId;
      if ((state.flashUntil.get(flashKey) || 0) > now) {
        tr.className = 'flash';
      }
      tr.appendChild(el('td', instance.instanceId, 'mono'));
      tr.appendChild(el('td', (instance.secure ? 'https://' : '') + instance.host + ':' + instance.port, 'address mono'));
      var status = el('td', null, 'status');
      status.appendChild(badge(instance.status, null));
      tr.appendChild(status);
      tr.appendChild(el('td', instance.zone || '–'));
      var meta = el('td');
      Object.keys(instance.metadata || {}).sort().forEach(function (k) {
        meta.appendChild(el('span', k + '=' + instance.metadata[k], 'meta'));
      });
      tr.appendChild(meta);
      if (showOwner) {
        tr.appendChild(el('td', instance.owner || '–'));
      }
      tr.appendChild(timeCell('registeredAt', instance.registeredAt));
      tr.appendChild(timeCell('lastHeartbeatAt', instance.lastHeartbeatAt));
      tr.appendChild(el('td', instance.leaseTtlSeconds + ' s', 'lease'));
      if (admin) {
        tr.appendChild(actionsCell(name, instance, refocus));
      }
      tbody.appendChild(tr);
    });
    $('no-instances').hidden = !!name;
    updateTimes();
  }

  function timeCell(field, iso) {
    var td = el('td', null, 'when');
    td.dataset.field = field;
    var time = el('time');
    time.dateTime = iso || '';
    time.dataset.relative = 'true';
    time.title = iso ? new Date(iso).toLocaleString() : '';
    td.appendChild(time);
    return td;
  }

  function ago(iso, now) {
    if (!iso) {
      return '–';
    }
    var seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
    if (seconds < 60) { return seconds + ' s ago'; }
    if (seconds < 3600) { return Math.floor(seconds / 60) + ' min ago'; }
    return Math.floor(seconds / 3600) + ' h ago';
  }

  /** Relative times change every second without a re-render (which would restart the flashes). */
  function updateTimes() {
    var now = Date.now();
    document.querySelectorAll('time[data-relative]').forEach(function (time) {
      var text = ago(time.dateTime, now);
      if (time.textContent !== text) {
        time.textContent = text;
      }
    });
  }

  function actionsCell(service, instance, refocus) {
    var td = el('td');
    var box = el('div', null, 'actions');
    var add = function (action, label, className) {
      var button = el('button', label, className);
      button.type = 'button';
      button.dataset.action = action;
      button.dataset.instance = instance.instanceId;
      button.setAttribute('aria-label', label + ' ' + instance.instanceId);
      button.addEventListener('click', function () { confirmAction(service, instance.instanceId, action); });
      box.appendChild(button);
      if (refocus && refocus.id === instance.instanceId && refocus.action === action) {
        setTimeout(function () { button.focus(); });
      }
    };
    if (instance.status !== 'DRAINING') {
      add('drain', 'Drain', 'quiet');
    }
    if (instance.status !== 'UP') {
      add('up', 'Set UP', 'quiet');
    }
    add('deregister', 'Deregister', 'danger');
    td.appendChild(box);
    return td;
  }

  // ---- admin actions ----------------------------------------------------------------------------

  var pendingAction = null;

  function confirmAction(service, instanceId, action) {
    var what = service + ' / ' + instanceId;
    var text = {
      drain: 'Set ' + what + ' DRAINING? Clients stop choosing it at once.',
      up: 'Set ' + what + ' UP? Clients start choosing it at once.',
      deregister: 'Deregister ' + what + '? It leaves the registry (a running instance registers again with its next heartbeat).'
    }[action];
    pendingAction = { service: service, instanceId: instanceId, action: action };
    $('confirm-text').textContent = text;
    $('confirm-ok').textContent = action === 'deregister' ? 'Deregister' : (action === 'drain' ? 'Drain' : 'Set UP');
    $('confirm-ok').className = action === 'deregister' ? 'danger' : '';
    $('confirm').returnValue = '';
    $('confirm').showModal();
  }

  $('confirm').addEventListener('close', function () {
    var action = pendingAction;
    pendingAction = null;
    if (!action || $('confirm').returnValue !== 'ok') {
      return;
    }
    var path = '/v1/services/' + encodeURIComponent(action.service) + '/instances/' + encodeURIComponent(action.instanceId);
    var call = action.action === 'deregister' ? api('DELETE', path)
      : api('PUT', path + '/status', { status: action.action === 'drain' ? 'DRAINING' : 'UP' });
    call.then(function (response) {
      if (!response.ok) {
        return problemText(response).then(function (text) { showNotice('The registry refused: ' + text); });
      }
      hideNotice();
    }).catch(function (error) {
      if (error.message !== 'signed out') {
        showNotice('The registry could not be reached: ' + error.message);
      }
    });
  });

  function showNotice(text) {
    $('notice').textContent = text;
    $('notice').hidden = false;
  }

  function hideNotice() {
    $('notice').hidden = true;
  }

  // ---- facts and chart --------------------------------------------------------------------------

  function formatUptime(seconds) {
    var d = Math.floor(seconds / 86400);
    var h = Math.floor((seconds % 86400) / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    if (d) { return d + ' d ' + h + ' h'; }
    if (h) { return h + ' h ' + m + ' min'; }
    if (m) { return m + ' min ' + (seconds % 60) + ' s'; }
    return seconds + ' s';
  }

  function setFact(name, value) {
    var dd = document.querySelector('[data-fact="' + name + '"]');
    if (dd.textContent !== value) {
      dd.textContent = value;
    }
  }

  function pollFacts() {
    if (!state.who) {
      return;
    }
    api('GET', '/v1/registry').then(function (response) {
      if (!response.ok) {
        return;
      }
      return response.json().then(showFacts);
    }).catch(function () { /* the connection pill already says the registry is away */ });
  }

  function showFacts(facts) {
    setFact('version', facts.version);
    setFact('uptime', formatUptime(facts.uptimeSeconds));
    setFact('store', facts.store);
    setFact('registryId', facts.registryId.substring(0, 8));
    document.querySelector('[data-fact="registryId"]').title = facts.registryId;
    setFact('services', String(facts.services));
    setFact('instances', String(facts.instances));
    setFact('watchers', String(facts.watchers));
    setFact('index', String(facts.index));
    var sample = { t: Date.parse(facts.now) / 1000, id: facts.registryId, heartbeats: facts.totals.heartbeats, index: facts.index };
    var previous = state.samples.length ? state.samples[state.samples.length - 1] : null;
    if (previous && (previous.id !== sample.id || sample.t <= previous.t)) {
      state.samples = [];
      previous = null;
    }
    state.samples.push(sample);
    if (!previous) {
      return;
    }
    var seconds = sample.t - previous.t;
    var heartbeatRate = (sample.heartbeats - previous.heartbeats) / seconds;
    var changeRate = (sample.index - previous.index) / seconds * 60;
    setFact('heartbeatRate', heartbeatRate.toFixed(1));
    setFact('changeRate', changeRate.toFixed(0));
    addToChart(sample.t, heartbeatRate, changeRate);
  }

  function addToChart(t, heartbeatRate, changeRate) {
    var data = state.chartData;
    data[0].push(t);
    data[1].push(heartbeatRate);
    data[2].push(changeRate);
    while (data[0].length && data[0][0] < t - CHART_WINDOW_S) {
      data[0].shift();
      data[1].shift();
      data[2].shift();
    }
    if (chart) {
      chart.setData(data);
    }
  }

  function chartWidth() {
    return Math.max(240, $('chart').clientWidth);
  }

  function createChart() {
    if (typeof uPlot === 'undefined') {
      $('chart').textContent = 'The chart library did not load.';
      return;
    }
    chart = new uPlot({
      width: chartWidth(),
      height: 200,
      series: [
        {},
        { label: 'heartbeats/s', stroke: '#1d4ed8', width: 2, scale: 'hb', value: function (u, v) { return v == null ? '–' : v.toFixed(1); } },
        { label: 'changes/min', stroke: '#b45309', width: 2, scale: 'ch', value: function (u, v) { return v == null ? '–' : v.toFixed(0); } }
      ],
      scales: { hb: { range: function (u, min, max) { return [0, Math.max(1, max)]; } },
                ch: { range: function (u, min, max) { return [0, Math.max(1, max)]; } } },
      axes: [
        { stroke: '#374151' },
        { scale: 'hb', stroke: '#1d4ed8', size: 50 },
        { scale: 'ch', side: 1, stroke: '#b45309', size: 50, grid: { show: false } }
      ]
    }, state.chartData, $('chart'));
    new ResizeObserver(function () {
      chart.setSize({ width: chartWidth(), height: 200 });
    }).observe($('chart'));
  }

  // ---- last heartbeats --------------------------------------------------------------------------

  /**
   * Heartbeats change nothing the stream reports, so the selected service's instances are read
   * now and then for their last-heartbeat times; their status stays the stream's.
   */
  function refreshHeartbeats() {
    var name = state.selected;
    if (!name || !state.who) {
      return;
    }
    api('GET', '/v1/services/' + encodeURIComponent(name) + '?status=ALL').then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (view) {
      var instances = view && state.services.get(name);
      if (!instances) {
        return;
      }
      view.instances.forEach(function (fresh) {
        var known = instances.get(fresh.instanceId);
        if (known && fresh.lastHeartbeatAt > known.lastHeartbeatAt) {
          known.lastHeartbeatAt = fresh.lastHeartbeatAt;
          var time = document.querySelector('#instance-table tr[data-instance="' + CSS.escape(fresh.instanceId) + '"] td[data-field="lastHeartbeatAt"] time');
          if (time) {
            time.dateTime = fresh.lastHeartbeatAt;
            time.title = new Date(fresh.lastHeartbeatAt).toLocaleString();
          }
        }
      });
      updateTimes();
    }).catch(function () { /* shown by the connection pill */ });
  }

  // ---- controls and start -----------------------------------------------------------------------

  $('service-filter').addEventListener('input', function (event) {
    state.filter = event.target.value.trim().toLowerCase();
    scheduleRender();
  });

  document.querySelectorAll('#instance-table th[data-sort] button').forEach(function (button) {
    button.addEventListener('click', function () {
      var key = button.parentElement.dataset.sort;
      state.sortAscending = state.sortKey === key ? !state.sortAscending : true;
      state.sortKey = key;
      scheduleRender();
    });
  });

  function start() {
    hideNotice();
    whoami().then(function (who) {
      if (who.security && who.roles.indexOf('read') < 0) {
        setConnection('forbidden', 'No read access');
        showNotice('This token has no read role: the dashboard cannot show the registry.');
        return;
      }
      watch();
      pollFacts();
      refreshHeartbeats();
      scheduleRender();
    }).catch(function (error) {
      if (error.message !== 'signed out') {
        setConnection('reconnecting', 'Reconnecting…');
        setTimeout(start, 2000);
      }
    });
  }

  createChart();
  setInterval(pollFacts, FACTS_EVERY_MS);
  setInterval(refreshHeartbeats, HEARTBEATS_EVERY_MS);
  setInterval(updateTimes, 1000);
  start();
}());
