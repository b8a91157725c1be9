// Same-origin requests of the review pages: the session cookie, and the CSRF token in a header.

import { csrfToken } from "../shared/csrf.js";

/**
 * POST a form body and read a JSON answer. Resolves to { status, body } for any HTTP status (body is
 * null when the answer is not JSON); rejects only when the network fails.
 * @param {string} url
 * @param {FormData | URLSearchParams} data
 */
export async function postForm(url, data) {
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    redirect: "error",
    headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
    body: data,
  });
  let body = null;
  if ((response.headers.get("Content-Type") || "").includes("application/json")) {
    body = await response.json();
  }
  return { status: response.status, body };
}
