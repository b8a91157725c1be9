// The review queue: keyboard navigation and verdicts (j/k, c/d/u, x, Enter, ?), the selection and its
// bulk verdict, auto-applied filters, and live rows while checks run. Without this script the page
// still works: filters are a GET form and verdicts a POST form.

import { postForm } from "./http.js";
import { isShortcut } from "./keys.js";
import { replaceElement } from "./fragments.js";
import { watchLive } from "./live.js";

const LABELS = { corroborated: "Corroborated", disputed: "Disputed", unreliable: "Unreliable" };
const KEY_VERDICTS = { c: "corroborated", d: "disputed", u: "unreliable" };

class Queue {
  constructor() {
    this.list = document.getElementById("queue-list");
    this.form = document.getElementById("queue-form");
    this.status = document.getElementById("queue-status");
    this.dialog = document.getElementById("verdict-dialog");
    this.shortcuts = document.getElementById("shortcuts-dialog");
    this.canReview = Boolean(this.list && this.list.dataset.canReview === "1" && this.dialog);
    this.required = new Set(JSON.parse(document.getElementById("rationale-required").textContent));
    this.current = -1;
    this.pending = null; // { verdict, rows } while the rationale prompt is open
    this.busy = false;
  }

  start() {
    document.addEventListener("keydown", (event) => this.onKey(event));
    this.autoSubmitFilters();
    this.filterDrawer();
    const shortcutsButton = document.getElementById("shortcuts-open");
    shortcutsButton.hidden = false;
    shortcutsButton.addEventListener("click", () => this.shortcuts.showModal());
    document.body.dataset.queueReady = "1";
    if (!this.list) return;
    this.list.addEventListener("click", (event) => {
      const row = event.target.closest(".q-row");
      if (row) this.setCurrent(this.rows().indexOf(row), { focus: false });
    });
    this.list.addEventListener("change", (event) => {
      if (event.target.matches(".q-select")) this.selectionChanged();
    });
    if (this.canReview) this.wireVerdicts();
    this.watch();
  }

  rows() {
    return this.list ? [...this.list.querySelectorAll(".q-row")] : [];
  }

  setCurrent(index, { focus = true } = {}) {
    const rows = this.rows();
    if (!rows.length) return null;
    const next = Math.max(0, Math.min(index, rows.length - 1));
    for (const row of rows) {
      row.classList.remove("current");
      row.removeAttribute("aria-current");
    }
    const row = rows[next];
    row.classList.add("current");
    row.setAttribute("aria-current", "true");
    this.current = next;
    if (focus) {
      row.focus({ preventScroll: true });
      row.scrollIntoView({ block: "nearest" });
    }
    return row;
  }

  currentRow() {
    const rows = this.rows();
    return this.current >= 0 && this.current < rows.length ? rows[this.current] : null;
  }

  /** @param {KeyboardEvent} event */
  onKey(event) {
    if (!isShortcut(event)) return;
    const key = event.key;
    if (key === "?") {
      event.preventDefault();
      this.shortcuts.showModal();
    } else if (key === "/") {
      event.preventDefault();
      document.getElementById("queue-search").focus();
    } else if (key === "j" || key === "k") {
      event.preventDefault();
      this.setCurrent(this.current < 0 ? 0 : this.current + (key === "j" ? 1 : -1));
    } else if (key === "Enter") {
      // Enter on a link or a button keeps its own meaning; on a row (or nowhere) it opens the claim.
      const target = event.target instanceof Element ? event.target : null;
      if (target && target !== document.body && !target.matches(".q-row")) return;
      const row = this.currentRow();
      if (row) {
        event.preventDefault();
        window.location.assign(row.dataset.url);
      }
    } else if (key === "x" && this.canReview) {
      const row = this.currentRow() || this.setCurrent(0);
      const box = row && row.querySelector(".q-select");
      if (box) {
        event.preventDefault();
        box.checked = !box.checked;
        this.selectionChanged();
      }
    } else if (key in KEY_VERDICTS && this.canReview) {
      event.preventDefault();
      this.prompt(KEY_VERDICTS[key]);
    }
  }

  selectedRows() {
    return this.rows().filter((row) => {
      const box = row.querySelector(".q-select");
      return box && box.checked;
    });
  }

  selectionChanged() {
    const selected = this.selectedRows();
    for (const row of this.rows()) row.classList.toggle("selected", selected.includes(row));
    const count = document.getElementById("selected-count");
    if (count) count.textContent = `${selected.length} selected`;
    document.getElementById("bulk-bar")?.classList.toggle("active", selected.length > 0);
  }

  wireVerdicts() {
    // The bulk bar's buttons submit the plain form without JS; here they open the prompt instead.
    for (const button of document.querySelectorAll("#bulk-bar .verdict-btn")) {
      button.addEventListener("click", (event) => {
        event.preventDefault();
        if (!this.selectedRows().length) {
          this.say("Select claims first: tick their boxes or press x on each.");
          return;
        }
        this.prompt(button.dataset.verdict);
      });
    }
    const dialogForm = document.getElementById("verdict-dialog-form");
    const rationale = document.getElementById("verdict-dialog-rationale");
    dialogForm.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    rationale.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      }
    });
    document.getElementById("verdict-dialog-cancel").addEventListener("click", () => this.dialog.close());
    this.dialog.addEventListener("close", () => {
      this.pending = null;
      const row = this.currentRow();
      if (row) row.focus({ preventScroll: true });
    });
  }

  /** Open the rationale prompt for the selection, or for the current row when nothing is selected. */
  prompt(verdict) {
    let rows = this.selectedRows();
    if (!rows.length) {
      const row = this.currentRow() || this.setCurrent(0);
      if (!row) return;
      if (!row.querySelector(".q-select")) {
        this.say(`Claim #${row.dataset.claim} cannot be reviewed here (it was merged).`);
        return;
      }
      rows = [row];
    }
    // Corroborating over open contradictions is the one verdict that can bury a conflict unread: it
    // needs a rationale and a second Enter (or click) to confirm.
    const conflicts = verdict === "corroborated" ? rows.filter((row) => Number(row.dataset.contradictions) > 0) : [];
    this.pending = { verdict, rows, confirm: conflicts.length > 0, armed: false };
    const required = this.required.has(verdict) || conflicts.length > 0;
    const warning = document.getElementById("verdict-dialog-warning");
    warning.hidden = !conflicts.length;
    warning.textContent = conflicts.length
      ? `${conflicts
          .map((row) => `#${row.dataset.claim} has ${row.dataset.contradictions} open contradiction${row.dataset.contradictions === "1" ? "" : "s"}`)
          .join("; ")}. Say why it is corroborated anyway; you will be asked to confirm.`
      : "";
    const submitButton = document.getElementById("verdict-dialog-submit");
    submitButton.textContent = "Record";
    document.getElementById("verdict-dialog-verdict").textContent = LABELS[verdict];
    document.getElementById("verdict-dialog-target").textContent =
      rows.length === 1
        ? `Claim #${rows[0].dataset.claim}: “${rows[0].dataset.text}”`
        : `${rows.length} selected claims: each gets its own review with this rationale.`;
    document.getElementById("verdict-dialog-required").hidden = !required;
    document.getElementById("verdict-dialog-optional").hidden = required;
    const rationale = document.getElementById("verdict-dialog-rationale");
    rationale.value = document.getElementById("bulk-rationale")?.value || "";
    rationale.required = required;
    rationale.removeAttribute("aria-invalid");
    this.dialogError("");
    this.dialog.dataset.verdict = verdict;
    this.dialog.showModal();
    rationale.focus();
  }

  dialogError(message) {
    const error = document.getElementById("verdict-dialog-error");
    error.textContent = message;
    error.hidden = !message;
  }

  async submit() {
    if (!this.pending || this.busy) return;
    const { verdict, rows } = this.pending;
    const rationale = document.getElementById("verdict-dialog-rationale");
    const text = rationale.value.trim();
    if ((this.required.has(verdict) || this.pending.confirm) && !text) {
      rationale.setAttribute("aria-invalid", "true");
      this.dialogError(
        this.pending.confirm
          ? "This claim has open contradictions: say why it is corroborated anyway."
          : `Say why the claim is ${verdict}: a rationale is required.`,
      );
      rationale.focus();
      return;
    }
    if (this.pending.confirm && !this.pending.armed) {
      this.pending.armed = true;
      rationale.removeAttribute("aria-invalid");
      document.getElementById("verdict-dialog-submit").textContent = "Confirm corroborated";
      this.dialogError("Open contradictions are not resolved. Press Enter again (or Confirm) to record corroborated.");
      rationale.focus();
      return;
    }
    const data = new FormData();
    data.append("csrfmiddlewaretoken", this.form.querySelector("input[name=csrfmiddlewaretoken]").value);
    data.append("verdict", verdict);
    data.append("rationale", text);
    for (const row of rows) data.append("claim", `${row.dataset.claim}:${row.dataset.version}`);
    this.busy = true;
    document.getElementById("verdict-dialog-submit").disabled = true;
    try {
      const { status, body } = await postForm(this.form.action, data);
      if (status === 200 && body) {
        this.dialog.close();
        this.applyResult(body, rows, text);
      } else if (status === 400 && body) {
        this.dialogError(Object.values(body.errors).flat().map((item) => item.message || item).join(" "));
      } else if (status === 409 || status === 412) {
        // Another editor got there first: the dialog stays open with the rationale as typed.
        this.dialogError((body && (body.message || body.detail)) || "Another editor changed this claim first: reload the row and try again.");
      } else if (status === 403) {
        this.dialogError("You may not record verdicts.");
      } else {
        this.dialogError(`The server answered ${status}: try again in a moment.`);
      }
    } catch {
      this.dialogError("The server could not be reached: nothing was saved. Try again.");
    } finally {
      this.busy = false;
      document.getElementById("verdict-dialog-submit").disabled = false;
    }
  }

  applyResult(body, rows, text = "") {
    const lastIndex = Math.max(...rows.map((row) => this.rows().indexOf(row)));
    this.replaceRows(body.rows || {});
    const refusedAny = (body.refused || []).length > 0;
    // A refused claim (another editor got there first) keeps the rationale typed for it: it waits in
    // the selection's rationale field, which the next prompt starts from.
    const bulk = document.getElementById("bulk-rationale");
    if (bulk) bulk.value = refusedAny ? text : "";
    this.selectionChanged();
    const messages = [];
    const recorded = body.recorded || [];
    if (recorded.length === 1) messages.push(`Recorded ${body.verdict} on #${recorded[0]}.`);
    else if (recorded.length > 1) messages.push(`Recorded ${body.verdict} on ${recorded.length} claims.`);
    for (const refused of body.refused || []) {
      let line = `Not saved for #${refused.claim}: ${refused.message}`;
      if (refused.rationale) line += ` Their rationale: “${refused.rationale}”`;
      messages.push(line);
    }
    if (refusedAny && text) messages.push("Your rationale is kept: press a verdict key to try again.");
    this.say(messages.join(" "), refusedAny);
    if (refusedAny) {
      // Stay on the refused row, so the next verdict key applies to it.
      const refusedRow = document.getElementById(`row-${body.refused[0].claim}`);
      this.setCurrent(refusedRow ? this.rows().indexOf(refusedRow) : lastIndex + 1);
    } else {
      this.setCurrent(lastIndex + 1);
    }
    this.refreshCounts();
  }

  /** Re-read the facet and header counts from the page as the server renders it now. */
  async refreshCounts() {
    let html;
    try {
      const response = await fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } });
      if (!response.ok) return;
      html = await response.text();
    } catch {
      return;
    }
    const fresh = new DOMParser().parseFromString(html, "text/html");
    for (const node of fresh.querySelectorAll("[data-facet], #queue-total, .range, #filter-check option, #filter-outlet option, #filter-speaker option")) {
      let target = null;
      if (node.dataset.facet) target = document.querySelector(`[data-facet="${node.dataset.facet}"]`);
      else if (node.id) target = document.getElementById(node.id);
      else if (node.matches(".range")) target = document.querySelector(".queue-toolbar .range");
      else target = document.querySelector(`#${node.parentElement.id} option[value="${CSS.escape(node.value)}"]`);
      if (target && target.textContent !== node.textContent) target.textContent = node.textContent;
    }
    document.body.dataset.countsRefreshed = String(Number(document.body.dataset.countsRefreshed || 0) + 1);
  }

  replaceRows(htmlById) {
    const current = this.current;
    for (const [claimId, html] of Object.entries(htmlById)) {
      const row = document.getElementById(`row-${claimId}`);
      if (!row) continue;
      const box = row.querySelector(".q-select");
      const wasSelected = Boolean(box && box.checked);
      const fresh = replaceElement(row, html);
      // A new version means the old selection was for another state of the claim: keep it only when
      // the claim did not change.
      const freshBox = fresh.querySelector(".q-select");
      if (freshBox && wasSelected && fresh.dataset.version === row.dataset.version) freshBox.checked = true;
    }
    if (current >= 0) this.setCurrent(current, { focus: false });
  }

  say(message, alert = false) {
    this.status.textContent = message;
    this.status.classList.toggle("alert", alert);
  }

  /** On a narrow screen the filters fold into a drawer behind a toggle, closed at first. */
  filterDrawer() {
    const toggle = document.getElementById("filters-toggle");
    const aside = toggle.closest(".filters");
    const narrow = window.matchMedia("(max-width: 900px)");
    const set = (open) => {
      aside.classList.toggle("collapsed", !open);
      toggle.setAttribute("aria-expanded", String(open));
    };
    toggle.hidden = false;
    set(!narrow.matches);
    narrow.addEventListener("change", () => set(!narrow.matches));
    toggle.addEventListener("click", () => {
      const open = toggle.getAttribute("aria-expanded") !== "true";
      set(open);
      if (open) document.querySelector("#queue-filters input, #queue-filters select")?.focus();
    });
  }

  autoSubmitFilters() {
    const filters = document.getElementById("queue-filters");
    filters.addEventListener("change", (event) => {
      if (event.target.matches("input[type=radio], input[type=checkbox], select")) filters.requestSubmit();
    });
    document.getElementById("page-size").addEventListener("change", () => filters.requestSubmit());
  }

  watch() {
    if (this.list.dataset.livePending !== "1") return;
    const ids = this.rows().map((row) => row.dataset.claim);
    watchLive({
      url: `${this.list.dataset.liveUrl}?ids=${ids.join(",")}`,
      token: this.list.dataset.liveToken,
      onUpdate: (payload) => {
        this.replaceRows(payload.rows || {});
        this.list.dataset.livePending = payload.pending ? "1" : "0";
        this.refreshCounts();
      },
    });
  }
}

new Queue().start();
