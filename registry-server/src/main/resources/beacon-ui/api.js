/*
 * Calls to the registry API, with the bearer token when there is one. The token lives in this
 * tab's sessionStorage only: it goes when the tab closes and is never written anywhere else.
 */

const TOKEN_KEY = 'beacon.token';

/** What a registry without security lets everybody do. */
export const ALL_ROLES = ['read', 'register', 'admin'];

/** Thrown after a 401: the page has asked for a (new) token. */
export class SignedOut extends Error {
  constructor() {
    super('signed out');
  }
}

let unauthorized = () => {};

/** What to do when the registry answers 401 (ask for a token). */
export function onUnauthorized(callback) {
  unauthorized = callback;
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function saveToken(value) {
  sessionStorage.setItem(TOKEN_KEY, value);
}

export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

export function headers(extra = {}) {
  const all = { Accept: 'application/json', ...extra };
  const bearer = token();
  if (bearer) {
    all.Authorization = `Bearer ${bearer}`;
  }
  return all;
}

/** A problem+json body's detail, or the status when there is none. */
export async function problemText(response) {
  const text = await response.text();
  try {
    const problem = JSON.parse(text);
    return problem.detail || problem.title || `HTTP ${response.status}`;
  } catch (notJson) {
    return `HTTP ${response.status}`;
  }
}

/** The answer to any API call; a 401 asks for a token and throws {@link SignedOut}. */
export async function call(method, path, body) {
  const init = { method, headers: headers(), cache: 'no-store' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  if (response.status === 401) {
    unauthorized(token() ? 'The registry refused this token. Enter a valid one.' : null);
    throw new SignedOut();
  }
  return response;
}

/**
 * Who the page acts as: {name, roles, services, security}. A registry without /v1/whoami has no
 * security, so every role.
 */
export async function whoami() {
  const response = await call('GET', '/v1/whoami');
  if (response.status === 404) {
    return { name: null, roles: ALL_ROLES, services: [], security: false };
  }
  if (!response.ok) {
    throw new Error(await problemText(response));
  }
  return response.json();
}

/** The path of one instance in the API. */
export function instancePath(service, instanceId) {
  return `/v1/services/${encodeURIComponent(service)}/instances/${encodeURIComponent(instanceId)}`;
}
