// The "New claim" dialog: claim text (prefilled with the highlight), speaker with suggestions, and
// evidence links. It posts the W3C selectors of the highlight to the claims API.

import { ApiError, getJson, postJson } from "./api.js";

const SUGGEST_DELAY_MS = 200;
const MAX_SUGGESTIONS = 12;
const KNOWN_FIELDS = ["text", "speaker", "sources"];

function namesFrom(body) {
  const items = Array.isArray(body) ? body : body && Array.isArray(body.results) ? body.results : [];
  return items
    .map((item) => (typeof item === "string" ? item : item && (item.name || item.speaker)))
    .filter((name) => typeof name === "string" && name);
}

export class ClaimForm {
  constructor(dialog, { articleId, urls, speakers, onSaved }) {
    this.dialog = dialog;
    this.form = dialog.querySelector("#claim-form");
    this.textInput = dialog.querySelector("#claim-text");
    this.speakerInput = dialog.querySelector("#claim-speaker");
    this.speakerOptions = dialog.querySelector("#speaker-options");
    this.quote = dialog.querySelector("#claim-quote");
    this.sourceRows = dialog.querySelector("#source-rows");
    this.saveButton = dialog.querySelector("#claim-save");
    this.articleId = articleId;
    this.urls = urls;
    this.knownSpeakers = new Set(speakers);
    this.onSaved = onSaved;
    this.selectors = null;
    this.suggestTimer = 0;
    this.suggestAbort = null;
    this.saving = null; // the claim being saved: { selectors, closed } until the server answers

    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.save();
    });
    dialog.querySelector("#claim-cancel").addEventListener("click", () => this.close());
    dialog.querySelector("#add-source").addEventListener("click", () => this.addSourceRow(true));
    this.speakerInput.addEventListener("input", () => this.scheduleSuggestions());
    dialog.addEventListener("close", () => {
      // Closed (Cancel, Esc) while the claim is saving: the request cannot be taken back, so its
      // outcome is shown on the page when it comes (the saved highlight, or the error).
      if (this.saving) this.saving.closed = true;
      this.selectors = null;
      this.cancelSuggestions();
    });
  }

  /** @param {{speaker?: string}} [prefill] e.g. the speaker triage read from the attribution */
  open(selectors, { speaker = "" } = {}) {
    this.selectors = selectors;
    this.clearErrors();
    this.quote.textContent = selectors.exact;
    this.textInput.value = selectors.exact.replace(/\s+/g, " ");
    this.speakerInput.value = speaker;
    this.sourceRows.replaceChildren();
    this.addSourceRow(false);
    this.fillSuggestions([]);
    // No second claim while one is still saving: a retry could duplicate it.
    this.saveButton.disabled = Boolean(this.saving);
    this.saveButton.textContent = this.saving ? "Saving…" : "Save claim";
    this.dialog.showModal();
    this.textInput.focus();
  }

  close() {
    if (this.dialog.open) this.dialog.close();
  }

  addSourceRow(focus) {
    const row = document.createElement("div");
    row.className = "source-row";
    const url = document.createElement("input");
    url.type = "url";
    url.name = "source-url";
    url.placeholder = "https://…";
    url.setAttribute("aria-label", "Source URL");
    const title = document.createElement("input");
    title.name = "source-title";
    title.placeholder = "Title (optional)";
    title.setAttribute("aria-label", "Source title");
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "link remove-source";
    remove.textContent = "Remove";
    remove.addEventListener("click", () => {
      row.remove();
      if (!this.sourceRows.children.length) this.addSourceRow(false);
    });
    row.append(url, title, remove);
    this.sourceRows.append(row);
    if (focus) url.focus();
  }

  sources() {
    return [...this.sourceRows.querySelectorAll(".source-row")]
      .map((row) => ({
        url: row.querySelector("[name=source-url]").value.trim(),
        title: row.querySelector("[name=source-title]").value.trim(),
      }))
      .filter((source) => source.url);
  }

  cancelSuggestions() {
    window.clearTimeout(this.suggestTimer);
    if (this.suggestAbort) this.suggestAbort.abort();
    this.suggestAbort = null;
  }

  scheduleSuggestions() {
    window.clearTimeout(this.suggestTimer);
    this.suggestTimer = window.setTimeout(() => this.suggest(), SUGGEST_DELAY_MS);
  }

  async suggest() {
    const query = this.speakerInput.value.trim();
    const local = [...this.knownSpeakers].filter((name) => name.toLowerCase().includes(query.toLowerCase()));
    if (!query || !this.urls.speakers) {
      this.fillSuggestions(local);
      return;
    }
    if (this.suggestAbort) this.suggestAbort.abort();
    this.suggestAbort = new AbortController();
    try {
      const body = await getJson(`${this.urls.speakers}?q=${encodeURIComponent(query)}`, {
        signal: this.suggestAbort.signal,
      });
      this.fillSuggestions([...local, ...namesFrom(body)]);
    } catch {
      this.fillSuggestions(local); // suggestions are a convenience: typing still works without them
    }
  }

  fillSuggestions(names) {
    const options = [...new Set(names.length ? names : this.knownSpeakers)].slice(0, MAX_SUGGESTIONS).map((name) => {
      const option = document.createElement("option");
      option.value = name;
      return option;
    });
    this.speakerOptions.replaceChildren(...options);
  }

  clearErrors() {
    for (const slot of this.form.querySelectorAll(".field-error")) {
      slot.textContent = "";
      slot.hidden = true;
    }
    for (const input of this.form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  }

  showErrors(fields) {
    for (const [field, messages] of Object.entries(fields)) {
      const key = KNOWN_FIELDS.includes(field) ? field : "general";
      const slot = this.form.querySelector(`[data-error-for="${key}"]`);
      const prefix = key === "general" && !["general", "detail", "non_field_errors"].includes(field) ? `${field}: ` : "";
      slot.textContent = [slot.textContent, prefix + messages.join(" ")].filter(Boolean).join(" ");
      slot.hidden = false;
      if (key === "text") this.textInput.setAttribute("aria-invalid", "true");
      if (key === "speaker") this.speakerInput.setAttribute("aria-invalid", "true");
    }
  }

  async save() {
    if (this.selectors === null) return;
    this.clearErrors();
    const text = this.textInput.value.trim();
    if (!text) {
      this.showErrors({ text: ["Write the statement to check."] });
      this.textInput.focus();
      return;
    }
    const { start, end, exact, prefix, suffix } = this.selectors;
    const speaker = this.speakerInput.value.trim();
    const payload = {
      article: this.articleId,
      selector: [
        { type: "TextQuoteSelector", exact, prefix, suffix },
        { type: "TextPositionSelector", start, end },
      ],
      text,
      speaker,
      sources: this.sources(),
    };
    this.cancelSuggestions();
    this.saveButton.disabled = true;
    this.saveButton.textContent = "Saving…";
    const saving = { selectors: this.selectors, closed: false };
    this.saving = saving;
    this.dialog.dataset.saving = "1";
    try {
      const claim = await postJson(this.urls.claims, payload);
      if (speaker) this.knownSpeakers.add(speaker);
      this.close();
      this.onSaved(claim, saving.selectors, payload);
      if (saving.closed) this.notify(`Claim #${claim.id} was saved before the form closed: it is highlighted.`);
    } catch (error) {
      const fields = error instanceof ApiError ? error.fields : { general: ["The server could not be reached: try again."] };
      if (saving.closed) {
        this.notify(`The claim was not saved: ${Object.values(fields).flat().join(" ")}`);
      } else {
        this.showErrors(fields);
      }
    } finally {
      this.saving = null;
      delete this.dialog.dataset.saving;
      this.saveButton.disabled = false;
      this.saveButton.textContent = "Save claim";
    }
  }

  notify(message) {
    const notice = document.getElementById("reader-notice");
    if (!notice) return;
    notice.textContent = message;
    notice.hidden = false;
  }
}
