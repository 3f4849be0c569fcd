// The HTTP API: JSON calls with the bearer token, the file upload with progress, authenticated downloads.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export class Api {
  /** getToken() gives the current token or null; onUnauthorized(error) is told when a token is refused. */
  constructor(getToken, onUnauthorized) {
    this.getToken = getToken;
    this.onUnauthorized = onUnauthorized;
  }

  async call(method, path, body) {
    const token = this.getToken();
    const headers = { Accept: 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        credentials: 'same-origin',
      });
    } catch {
      throw new ApiError(0, 'The server cannot be reached.');
    }
    const text = await response.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (!response.ok) {
      throw this.#failure(response.status, json && json.error, token);
    }
    return json;
  }

  get(path) {
    return this.call('GET', path);
  }

  post(path, body) {
    return this.call('POST', path, body === undefined ? {} : body);
  }

  delete(path) {
    return this.call('DELETE', path);
  }

  /**
   * Uploads one file as multipart field "file" (and a caption as field "text") with XHR, for its progress events.
   * Returns {promise, abort}; onProgress(fraction 0..1) while the bytes go up.
   */
  upload(conversationId, file, text, onProgress) {
    const xhr = new XMLHttpRequest();
    const promise = new Promise((resolve, reject) => {
      xhr.open('POST', `/api/conversations/${encodeURIComponent(conversationId)}/files`);
      const token = this.getToken();
      if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.responseType = 'text';
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) onProgress(e.loaded / e.total);
      };
      xhr.onload = () => {
        let json = null;
        try {
          json = xhr.responseText ? JSON.parse(xhr.responseText) : null;
        } catch {
          json = null;
        }
        if (xhr.status >= 200 && xhr.status < 300) {
          onProgress(1);
          resolve(json);
        } else {
          reject(this.#failure(xhr.status, json && json.error, token));
        }
      };
      xhr.onerror = () => reject(new ApiError(0, 'The upload failed: the server cannot be reached.'));
      xhr.onabort = () => reject(new ApiError(0, 'The upload was cancelled.'));
      const form = new FormData();
      if (text) form.append('text', text);
      form.append('file', file, file.name);
      xhr.send(form);
    });
    return { promise, abort: () => xhr.abort() };
  }

  /** The bytes behind a same-origin API URL (a file), fetched with the token. */
  async blob(url) {
    const target = new URL(url, window.location.href);
    if (target.origin !== window.location.origin) {
      throw new ApiError(400, 'Refusing to send the token to another site.');
    }
    const token = this.getToken();
    let response;
    try {
      response = await fetch(target.href, {
        headers: token ? { Authorization: `Bearer ${token}` } : {},
        credentials: 'same-origin',
      });
    } catch {
      throw new ApiError(0, 'The server cannot be reached.');
    }
    if (!response.ok) throw this.#failure(response.status, null, token);
    return response.blob();
  }

  #failure(status, message, token) {
    const error = new ApiError(status, message || defaultMessage(status));
    if (status === 401 && token) this.onUnauthorized(error);
    return error;
  }
}

function defaultMessage(status) {
  switch (status) {
    case 400: return 'The request was not accepted.';
    case 401: return 'Please log in again.';
    case 403: return 'You are not allowed to do that.';
    case 404: return 'Not found.';
    case 409: return 'That name is taken.';
    case 413: return 'Too large.';
    case 429: return 'Too many requests; slow down a little.';
    case 503: return 'A service is unavailable; try again shortly.';
    default: return `The request failed (${status}).`;
  }
}
