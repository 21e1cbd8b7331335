// The admin API as the console calls it: the signed-in tenant and token (this tab's sessionStorage only), one
// fetch per call with the token, and the API's error body turned into an ApiError carrying its message.

const KEY = 'seatgate.console.signIn';

/** An answer of the API that is not a success: its status, code and the API's own message. */
export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details || {};
  }
}

/** {tenant, token, timeZone} of this tab, or null. */
export function signedIn() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY));
  } catch {
    return null;
  }
}

/** Checks the token on the tenant (GET /v1/tenants/{tenant}) and keeps both for this tab. */
export async function signIn(tenant, token) {
  const answer = await call('GET', tenantPath(tenant, ''), { token });
  sessionStorage.setItem(KEY, JSON.stringify({ tenant, token, timeZone: answer.timeZone }));
  return signedIn();
}

export function signOut() {
  sessionStorage.removeItem(KEY);
}

/** A call on the signed-in tenant: path is relative to /v1/tenants/{tenant}. */
export function api(method, path, options = {}) {
  const who = signedIn();
  if (!who) {
    return Promise.reject(new ApiError(401, 'UNAUTHORIZED', 'signed out'));
  }
  return call(method, tenantPath(who.tenant, path), { ...options, token: who.token });
}

function tenantPath(tenant, path) {
  return '/v1/tenants/' + encodeURIComponent(tenant) + path;
}

async function call(method, path, { token, body, headers = {} }) {
  const init = {
    method,
    cache: 'no-store',
    credentials: 'omit',
    headers: { Authorization: 'Bearer ' + token, ...headers },
  };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'NETWORK', 'the gateway cannot be reached; try again');
  }
  if (response.status === 204) {
    return null;
  }
  let json = null;
  try {
    json = await response.json();
  } catch {
    // not JSON: answered below by status
  }
  if (!response.ok) {
    const error = (json && json.error) || {};
    throw new ApiError(response.status, error.code || 'HTTP_' + response.status,
      error.message || 'the gateway answered ' + response.status, error.details);
  }
  return json;
}
