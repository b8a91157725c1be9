// The few REST calls the reader makes: same-origin, session cookie, CSRF token in a header.

import { csrfToken } from "../shared/csrf.js";

export class ApiError extends Error {
  /** @param {number} status @param {Record<string, string[]>} fields messages by field */
  constructor(status, fields) {
    super(Object.values(fields).flat().join(" ") || `HTTP ${status}`);
    this.status = status;
    this.fields = fields;
  }
}

async function errorFrom(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  const fields = {};
  if (body && typeof body === "object" && !Array.isArray(body)) {
    for (const [key, value] of Object.entries(body)) {
      fields[key] = Array.isArray(value) ? value.map(flatten) : [flatten(value)];
    }
  }
  if (response.status === 401 || response.status === 403) {
    fields.general = fields.detail || [
      response.status === 401 ? "Your session has ended: log in again." : "You may not do this.",
    ];
    delete fields.detail;
  } else if (!Object.keys(fields).length) {
    fields.general = [`The server answered ${response.status}: try again in a moment.`];
  }
  return new ApiError(response.status, fields);
}

function flatten(value) {
  if (typeof value === "string") return value;
  if (value && typeof value === "object") return Object.values(value).flat(Infinity).map(flatten).join(" ");
  return String(value);
}

export async function postJson(url, payload) {
  return sendJson("POST", url, payload);
}

export async function putJson(url, payload) {
  return sendJson("PUT", url, payload);
}

async function sendJson(method, url, payload) {
  const response = await fetch(url, {
    method,
    credentials: "same-origin",
    redirect: "error",
    headers: {
      Accept: "application/json",
      "Content-Type": "application/json",
      "X-CSRFToken": csrfToken(),
    },
    body: JSON.stringify(payload),
  });
  if (!response.ok) throw await errorFrom(response);
  return response.json();
}

export async function getJson(url, { signal } = {}) {
  const response = await fetch(url, {
    credentials: "same-origin",
    redirect: "error",
    headers: { Accept: "application/json" },
    signal,
  });
  if (!response.ok) throw await errorFrom(response);
  return response.json();
}
