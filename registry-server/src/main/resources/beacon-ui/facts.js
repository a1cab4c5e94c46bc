/*
 * Registry facts from GET /v1/registry, sampled every few seconds; heartbeats/s and changes/min are
 * the differences between two samples (of the heartbeat total and the change index) over the
 * registry's own clock. The chart (uPlot) keeps the last ten minutes.
 */

import { call } from './api.js';
import { byId } from './dom.js';

const CHART_WINDOW_S = 600;
const CHART_HEIGHT = 200;

let samples = [];
const chartData = [[], [], []];
let chart = null;

function formatUptime(seconds) {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (d) {
    return `${d} d ${h} h`;
  }
  if (h) {
    return `${h} h ${m} min`;
  }
  return m ? `${m} min ${seconds % 60} s` : `${seconds} s`;
}

function setFact(name, value) {
  const dd = document.querySelector(`[data-fact="${name}"]`);
  if (dd.textContent !== value) {
    dd.textContent = value;
  }
}

export async function pollFacts() {
  try {
    const response = await call('GET', '/v1/registry');
    if (response.ok) {
      showFacts(await response.json());
    }
  } catch (unreachable) {
    // the connection status already says the registry is away
  }
}

function showFacts(facts) {
  setFact('version', facts.version);
  setFact('uptime', formatUptime(facts.uptimeSeconds));
  setFact('store', facts.store);
  setFact('replicaId', facts.replicaId.substring(0, 8));
  document.querySelector('[data-fact="replicaId"]').title = facts.replicaId;
  setFact('services', String(facts.services));
  setFact('instances', String(facts.instances));
  setFact('watchers', String(facts.watchers));
  setFact('index', String(facts.index));
  const sample = { t: Date.parse(facts.now) / 1000, id: facts.replicaId, heartbeats: facts.totals.heartbeats,
    index: facts.index };
  let previous = samples[samples.length - 1];
  if (previous && (previous.id !== sample.id || sample.t <= previous.t)) {
    samples = [];  // a restarted registry counts from zero again
    previous = undefined;
  }
  samples = [previous, sample].filter(Boolean);
  if (!previous) {
    return;
  }
  const seconds = sample.t - previous.t;
  const heartbeatRate = (sample.heartbeats - previous.heartbeats) / seconds;
  const changeRate = (sample.index - previous.index) / seconds * 60;
  setFact('heartbeatRate', heartbeatRate.toFixed(1));
  setFact('changeRate', changeRate.toFixed(0));
  addToChart(sample.t, heartbeatRate, changeRate);
}

function addToChart(t, heartbeatRate, changeRate) {
  chartData[0].push(t);
  chartData[1].push(heartbeatRate);
  chartData[2].push(changeRate);
  while (chartData[0][0] < t - CHART_WINDOW_S) {
    chartData.forEach((series) => series.shift());
  }
  chart?.setData(chartData);
}

const fromZero = (u, min, max) => [0, Math.max(1, max)];
const fixed = (digits) => (u, value) => (value == null ? '–' : value.toFixed(digits));

export function createChart() {
  const box = byId('chart');
  if (typeof window.uPlot === 'undefined') {
    box.textContent = 'The chart library did not load.';
    return;
  }
  const width = () => Math.max(240, box.clientWidth);
  chart = new window.uPlot({
    width: width(),
    height: CHART_HEIGHT,
    series: [
      {},
      { label: 'heartbeats/s', stroke: '#1d4ed8', width: 2, scale: 'hb', value: fixed(1) },
      { label: 'changes/min', stroke: '#b45309', width: 2, scale: 'ch', value: fixed(0) }
    ],
    scales: { hb: { range: fromZero }, ch: { range: fromZero } },
    axes: [
      { stroke: '#374151' },
      { scale: 'hb', stroke: '#1d4ed8', size: 50 },
      { scale: 'ch', side: 1, stroke: '#b45309', size: 50, grid: { show: false } }
    ]
  }, chartData, box);
  new ResizeObserver(() => chart.setSize({ width: width(), height: CHART_HEIGHT })).observe(box);
}
