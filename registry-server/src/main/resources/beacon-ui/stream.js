/*
 * The watch stream, GET /v1/watch, read with fetch() and a stream reader rather than EventSource:
 * with security on, every call carries "Authorization: Bearer", which EventSource cannot send.
 * After a drop it reconnects with capped, jittered backoff and Last-Event-ID, so the registry
 * replays only what was missed (or sends a new snapshot when its change log no longer has it).
 */

import { headers, problemText } from './api.js';

const MAX_BACKOFF_MS = 10000;

/**
 * Keeps the stream open until the returned function is called.
 *
 * @param lastIndex returns the last registry index applied (null before the first snapshot)
 * @param onEvent called with (type, data object, id) for each event
 * @param onState called with 'live', 'reconnecting', 'unauthorized' or ('forbidden', detail)
 */
export function watch({ lastIndex, onEvent, onState }) {
  const controller = new AbortController();
  const signal = controller.signal;
  (async () => {
    let attempt = 0;
    while (!signal.aborted) {
      try {
        const extra = { Accept: 'text/event-stream' };
        if (lastIndex() !== null) {
          extra['Last-Event-ID'] = String(lastIndex());
        }
        const response = await fetch('/v1/watch', { headers: headers(extra), signal, cache: 'no-store' });
        if (response.status === 401) {
          onState('unauthorized');
          return;
        }
        if (response.status === 403) {
          onState('forbidden', await problemText(response));
          return;
        }
        if (!response.ok || !response.body) {
          throw new Error(`the watch stream answered ${response.status}`);
        }
        attempt = 0;
        onState('live');
        await readEvents(response.body.getReader(), onEvent);
      } catch (dropped) {
        // a network failure or an abort: the loop decides below
      }
      if (signal.aborted) {
        return;
      }
      attempt++;
      onState('reconnecting');
      const backoff = Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.min(attempt - 1, 5));
      await new Promise((resolve) => setTimeout(resolve, backoff * (0.8 + Math.random() * 0.4)));
    }
  })();
  return () => controller.abort();
}

/** Reads Server-Sent Events (id, event and data lines; a blank line ends one; ':' is a comment). */
export async function readEvents(reader, onEvent) {
  const decoder = new TextDecoder();
  let buffer = '';
  let event = { id: null, type: 'message', data: [] };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      return;
    }
    buffer += decoder.decode(value, { stream: true });
    const lines = buffer.split(/\r\n|\r|\n/);
    buffer = lines.pop();
    for (const line of lines) {
      if (line === '') {
        if (event.data.length) {
          onEvent(event.type, JSON.parse(event.data.join('\n')), event.id);
        }
        event = { id: null, type: 'message', data: [] };
      } else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.substring(0, colon);
        const fieldValue = colon < 0 ? '' : line.substring(colon + 1).replace(/^ /, '');
        if (field === 'id') {
          event.id = fieldValue;
        } else if (field === 'event') {
          event.type = fieldValue;
        } else if (field === 'data') {
          event.data.push(fieldValue);
        }
      }
    }
  }
}
