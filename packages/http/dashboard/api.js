// Talks to the control API. The token lives in this tab's sessionStorage and travels only in the
// Authorization header: never in a URL, where it would end up in history, logs and Referer.
const TOKEN_KEY = 'apogee.token';

// Where the API is: this file is served at <mount>/dashboard/api.js, and the API at <mount>/ (the
// root, or a prefix such as /apogee when the API is mounted in another server).
const BASE = new URL('..', import.meta.url).pathname.replace(/\/$/, '');

/** The server answered 401: no token, or a wrong one. */
export class Unauthorized extends Error {}

/** Any other answer that is not a success, with the API's reason. */
export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

export class Api {
  constructor() {
    this.token = sessionStorage.getItem(TOKEN_KEY) ?? undefined;
  }

  setToken(token) {
    this.token = token;
    sessionStorage.setItem(TOKEN_KEY, token);
  }

  headers(extra = {}) {
    return this.token === undefined ? extra : { ...extra, authorization: `Bearer ${this.token}` };
  }

  async request(method, path, body) {
    const init = {
      method,
      cache: 'no-store',
      credentials: 'omit',
      headers: this.headers(
        body === undefined
          ? { accept: 'application/json' }
          : { accept: 'application/json', 'content-type': 'application/json' },
      ),
    };
    if (body !== undefined) init.body = JSON.stringify(body);
    const response = await fetch(`${BASE}${path}`, init);
    const text = await response.text();
    let data = null;
    try {
      data = text === '' ? null : JSON.parse(text);
    } catch {
      data = { error: text };
    }
    if (response.status === 401) throw new Unauthorized(data?.error ?? 'A token is required.');
    if (!response.ok)
      throw new ApiError(response.status, data?.error ?? `${method} ${path}: ${response.status}`, data);
    return data;
  }

  get(path) {
    return this.request('GET', path);
  }

  post(path, body) {
    return this.request('POST', path, body);
  }

  /**
   * Reads `GET /events` until it ends, calling `onOpen()` once it is up and `onEvent(type, data)`
   * for each event. EventSource cannot send an Authorization header, so the stream is read with fetch.
   */
  async events(onOpen, onEvent) {
    const response = await fetch(`${BASE}/events`, {
      cache: 'no-store',
      credentials: 'omit',
      headers: this.headers({ accept: 'text/event-stream' }),
    });
    if (response.status === 401) throw new Unauthorized('A token is required.');
    if (!response.ok || response.body === null)
      throw new ApiError(response.status, `GET /events: ${response.status}`);
    onOpen();
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value.replace(/\r\n?/g, '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let type = 'message';
        const data = [];
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const content = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') type = content;
          else if (field === 'data') data.push(content);
        }
        if (data.length > 0) onEvent(type, JSON.parse(data.join('\n')));
      }
    }
  }
}
