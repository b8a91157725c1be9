// Live updates by cheap polling: GET a JSON endpoint with If-None-Match every couple of seconds; the
// server answers 304 (one query) until something shown changed. Polling stops when the answer says
// nothing is pending any more, pauses while the tab is hidden and backs off on errors.
//
// Reusable by any page (the reader too):
//   import { watchLive } from "/static/review/live.js";
//   const watcher = watchLive({
//     url: "/review/live?ids=12,15&html=0",   // or "/claims/12/live"
//     token: "<ETag the page was rendered with, optional>",
//     onUpdate: (payload) => { ... },          // payload.claims[id].check_status, .status, ...
//   });
//   watcher.stop();   watcher.poke();  // poll now (e.g. after the page itself saved something)

const DEFAULT_INTERVAL_MS = 2000;
const MAX_INTERVAL_MS = 30000;
const GIVE_UP_AFTER_MS = 15 * 60 * 1000;

/**
 * @param {{ url: string, token?: string, intervalMs?: number, onUpdate: (payload: any) => void,
 *           onStop?: () => void }} options
 */
export function watchLive({ url, token = "", intervalMs = DEFAULT_INTERVAL_MS, onUpdate, onStop }) {
  let etag = token ? `"${token}"` : "";
  let timer = 0;
  let stopped = false;
  let failures = 0;
  let inFlight = false;
  const started = Date.now();

  const schedule = (delay) => {
    window.clearTimeout(timer);
    if (!stopped) timer = window.setTimeout(tick, delay);
  };

  const stop = () => {
    if (stopped) return;
    stopped = true;
    window.clearTimeout(timer);
    document.removeEventListener("visibilitychange", onVisibility);
    if (onStop) onStop();
  };

  async function tick() {
    if (stopped || inFlight) return;
    if (Date.now() - started > GIVE_UP_AFTER_MS) return stop();
    if (document.hidden) return; // resumed by onVisibility
    inFlight = true;
    try {
      const headers = { Accept: "application/json" };
      if (etag) headers["If-None-Match"] = etag;
      const response = await fetch(url, { credentials: "same-origin", cache: "no-store", headers });
      if (response.status === 304) {
        failures = 0;
      } else if (response.ok) {
        failures = 0;
        etag = response.headers.get("ETag") || "";
        const payload = await response.json();
        onUpdate(payload);
        if (!payload.pending) {
          inFlight = false;
          return stop();
        }
      } else {
        failures += 1;
      }
    } catch {
      failures += 1;
    }
    inFlight = false;
    schedule(Math.min(intervalMs * 2 ** failures, MAX_INTERVAL_MS));
  }

  function onVisibility() {
    if (!document.hidden) schedule(0);
  }

  document.addEventListener("visibilitychange", onVisibility);
  schedule(intervalMs);
  return { stop, poke: () => schedule(0) };
}
