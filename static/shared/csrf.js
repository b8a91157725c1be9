// The CSRF token every page sends in the X-CSRFToken header of its same-origin POSTs.
//
// The cookie comes first: it always holds the current secret, while a form field rendered into the
// page goes stale when the secret rotates (a log-in in another tab). The field is the fallback for a
// page whose cookie the browser has not got (cookies blocked, or CSRF kept in the session).

export function csrfToken() {
  for (const part of document.cookie.split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === "csrftoken") return decodeURIComponent(value.join("="));
  }
  const field = document.querySelector("input[name=csrfmiddlewaretoken]");
  return field && field.value ? field.value : "";
}
