// The article reader: draws the text with its claims' highlights, the claims panel and the orphans,
// and (for annotators) turns a selection into a claim. Data comes from the page's JSON data island.
// The claim form and the API client are loaded after the page is interactive: readers never need them
// and nobody needs them before the first selection.

import { paragraphsOf, TextIndex } from "./offsets.js";
import { renderChooser, renderClaimList, renderOrphans, renderText, titleFor } from "./render.js";
import { selectedSpan } from "./selection.js";
import { TriageLayer } from "./triage.js";

performance.mark("reader:start");

const REFRESH_EVERY_MS = 3000;
const REFRESH_MAX = 60; // stop polling after about three minutes
const POPOVER_GAP = 8;
const reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

class Reader {
  constructor(data) {
    this.root = document.getElementById("article-text");
    this.list = document.getElementById("claim-list");
    this.orphanList = document.getElementById("orphan-list");
    this.chooser = document.getElementById("hl-chooser");
    this.chooserReturn = null;
    this.popover = document.getElementById("claim-popover");
    this.dialog = null;
    this.form = null;
    this.urls = data.urls;
    this.articleId = data.article.id;
    this.canAnnotate = Boolean(data.can_annotate) && this.popover !== null;
    this.maxChars = data.max_chars;
    this.selectedClaim = null;
    this.marksByClaim = new Map();
    this.pendingSelection = null;
    this.dismissed = null;
    this.refreshes = 0;
    this.refreshTimer = 0;
    this.load(data);
  }

  /** Take a payload (the data island or a refresh) as the current state. */
  load(data) {
    this.revision = data.revision;
    this.text = data.revision.text;
    this.index = new TextIndex(this.text);
    this.paragraphs = paragraphsOf(this.text);
    this.claims = new Map(Object.values(data.claims).map((claim) => [claim.id, claim]));
    this.highlights = [];
    for (const highlight of data.highlights) {
      try {
        const start = this.index.toUtf16(highlight.start);
        const end = this.index.toUtf16(highlight.end);
        this.highlights.push({ ...highlight, start, end });
      } catch (error) {
        console.warn(`highlight ${highlight.annotation} is outside the text`, error);
      }
    }
    this.orphans = data.orphans;
    this.pending = data.pending;
    this.speakers = data.speakers;
    this.triage = data.triage || null;
  }

  render() {
    this.marksByClaim = renderText(this.root, this.text, this.paragraphs, this.highlights, this.claims);
    this.root.removeAttribute("aria-busy");
    if (this.triageLayer === undefined) this.triageLayer = new TriageLayer(this);
    this.triageLayer.render();
    this.renderPanel();
    if (this.selectedClaim !== null) this.selectClaim(this.selectedClaim, {});
  }

  renderPanel() {
    const seen = new Set();
    const entries = [];
    for (const highlight of [...this.highlights].sort((a, b) => a.start - b.start)) {
      if (seen.has(highlight.claim)) continue;
      seen.add(highlight.claim);
      entries.push({ claimId: highlight.claim, highlight, pending: false });
    }
    for (const pending of this.pending) {
      if (seen.has(pending.claim)) continue;
      seen.add(pending.claim);
      entries.push({ claimId: pending.claim, highlight: null, pending: true });
    }
    renderClaimList(this.list, entries, this.claims, this.urls);
    document.getElementById("claim-count").textContent = String(entries.length);
    document.getElementById("no-claims").hidden = entries.length > 0;
    const orphanSection = document.getElementById("orphans");
    orphanSection.hidden = this.orphans.length === 0;
    document.getElementById("orphan-count").textContent = String(this.orphans.length);
    renderOrphans(this.orphanList, this.orphans, this.claims, this.urls);
    const note = document.getElementById("pending-note");
    note.hidden = this.pending.length === 0;
    note.textContent = this.pending.length
      ? `${this.pending.length} highlight${this.pending.length === 1 ? " is" : "s are"} being re-anchored onto revision ${this.revision.number}…`
      : "";
  }

  /** Mark a claim as selected in the text and the panel; optionally scroll either into view. */
  selectClaim(claimId, { scrollText = false, scrollPanel = false }) {
    for (const mark of this.root.querySelectorAll("mark.sel")) mark.classList.remove("sel");
    for (const item of document.querySelectorAll(".claim-item.selected")) {
      item.classList.remove("selected");
      item.querySelector(".claim-button").removeAttribute("aria-current");
    }
    this.selectedClaim = claimId;
    const marks = this.marksByClaim.get(claimId) || [];
    for (const mark of marks) mark.classList.add("sel");
    const item = document.querySelector(`.claim-item[data-claim="${claimId}"]`);
    if (item) {
      item.classList.add("selected");
      item.querySelector(".claim-button").setAttribute("aria-current", "true");
      if (scrollPanel) item.scrollIntoView({ block: "nearest", behavior: reduceMotion ? "auto" : "smooth" });
    }
    if (scrollText && marks.length) {
      marks[0].scrollIntoView({ block: "center", behavior: reduceMotion ? "auto" : "smooth" });
      for (const mark of marks) {
        mark.classList.remove("flash");
        void mark.offsetWidth; // restart the animation
        mark.classList.add("flash");
      }
    }
  }

  bind() {
    this.list.addEventListener("click", (event) => this.onPanelClick(event));
    this.orphanList.addEventListener("click", (event) => this.onPanelClick(event));
    this.root.addEventListener("click", (event) => this.onTextClick(event));
    this.root.addEventListener("mouseover", (event) => {
      const mark = event.target.closest("mark.hl");
      if (mark && !mark.title) mark.title = titleFor(mark, this.highlights, this.claims);
    });
    this.chooser.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-claim]");
      if (!button) return;
      this.hideChooser();
      this.selectClaim(Number(button.dataset.claim), { scrollPanel: true });
    });
    this.chooser.addEventListener("keydown", (event) => this.onChooserKey(event));
    document.addEventListener("mousedown", (event) => {
      if (!this.chooser.hidden && !this.chooser.contains(event.target)) this.hideChooser();
    });
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        this.hideChooser();
        if (this.popover && !this.popover.hidden) {
          // Dismissed for this selection only: extending or changing it offers the popover again.
          const current = this.currentSelection();
          this.dismissed = current ? `${current.selectors.start}:${current.selectors.end}` : null;
        }
        this.hidePopover();
      }
    });
    if (this.canAnnotate) this.bindAnnotating();
  }

  onPanelClick(event) {
    const button = event.target.closest("button.claim-button");
    if (!button) return;
    this.selectClaim(Number(button.dataset.claim), { scrollText: true });
  }

  onTextClick(event) {
    const mark = event.target.closest("mark.hl");
    if (!mark) return;
    const selection = window.getSelection();
    if (selection && !selection.isCollapsed) return; // the end of a drag, not a click on a highlight
    const claimIds = [...new Set(mark.dataset.h.split(" ").map((index) => this.highlights[Number(index)].claim))];
    if (claimIds.length === 1) {
      this.hideChooser();
      this.selectClaim(claimIds[0], { scrollPanel: true });
      return;
    }
    // Focus goes back to the highlight when the menu closes without a choice (Escape, Tab).
    mark.tabIndex = -1; // focusable by script only, so Escape brings focus back to the highlight
    this.chooserReturn = mark;
    renderChooser(this.chooser, claimIds, this.claims);
    this.chooser.hidden = false;
    this.place(this.chooser, event.clientX, event.clientY + POPOVER_GAP);
    this.chooser.querySelector("button").focus({ preventScroll: true });
  }

  /** The ARIA menu pattern: arrows move (and wrap), Home/End jump, Escape and Tab close. */
  onChooserKey(event) {
    const items = [...this.chooser.querySelectorAll("[role=menuitem]")];
    const at = items.indexOf(document.activeElement);
    let next = -1;
    if (event.key === "ArrowDown") next = (at + 1) % items.length;
    else if (event.key === "ArrowUp") next = (at - 1 + items.length) % items.length;
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = items.length - 1;
    else if (event.key === "Escape" || event.key === "Tab") {
      if (event.key === "Escape") event.preventDefault();
      event.stopPropagation();
      this.hideChooser();
      return;
    }
    if (next >= 0) {
      event.preventDefault();
      items[next].focus({ preventScroll: true });
    }
  }

  hideChooser() {
    if (this.chooser.hidden) return;
    const hadFocus = this.chooser.contains(document.activeElement);
    this.chooser.hidden = true;
    if (hadFocus && this.chooserReturn && this.chooserReturn.isConnected) this.chooserReturn.focus({ preventScroll: true });
    this.chooserReturn = null;
  }

  /** Put a floating element at viewport coordinates, kept inside the viewport. */
  place(element, clientX, clientY) {
    const width = element.offsetWidth;
    const left = Math.max(4, Math.min(clientX - width / 2, document.documentElement.clientWidth - width - 4));
    element.style.left = `${left + window.scrollX}px`;
    element.style.top = `${clientY + window.scrollY}px`;
  }

  /**
   * Caret browsing for keyboard-only annotators: with "Select with keyboard" on, the text takes focus;
   * arrows move a caret (Ctrl+arrows by word), Shift+arrows extend the selection, Enter opens the claim
   * form with it, Escape leaves the mode. The status line says so to screen readers.
   */
  bindCaret() {
    const toggle = document.getElementById("caret-toggle");
    const help = document.getElementById("caret-help");
    if (!toggle) return;
    toggle.hidden = false;
    const MOVES = { ArrowRight: "forward", ArrowLeft: "backward", ArrowDown: "forward", ArrowUp: "backward" };
    const setOn = (on) => {
      toggle.setAttribute("aria-pressed", String(on));
      this.root.classList.toggle("caret-on", on);
      if (on) {
        this.root.tabIndex = 0;
        this.root.setAttribute("role", "textbox");
        this.root.setAttribute("aria-readonly", "true");
        this.root.setAttribute("aria-multiline", "true");
        this.root.setAttribute("aria-label", "Article text: keyboard selection");
        const walker = document.createTreeWalker(this.root, NodeFilter.SHOW_TEXT);
        const first = walker.nextNode();
        if (first) window.getSelection()?.collapse(first, 0);
        this.root.focus();
        help.textContent =
          "Keyboard selection on. Arrows move the caret, Ctrl+arrows by word, Shift+arrows select, " +
          "Enter makes a claim of the selection, Escape stops.";
      } else {
        this.root.removeAttribute("tabindex");
        for (const name of ["role", "aria-readonly", "aria-multiline", "aria-label"]) this.root.removeAttribute(name);
        help.textContent = "Keyboard selection off.";
      }
    };
    toggle.addEventListener("click", () => setOn(toggle.getAttribute("aria-pressed") !== "true"));
    this.root.addEventListener("keydown", (event) => {
      if (!this.root.classList.contains("caret-on")) return;
      const selection = window.getSelection();
      if (!selection) return;
      if (event.key in MOVES) {
        event.preventDefault();
        const unit = event.key === "ArrowUp" || event.key === "ArrowDown" ? "line" : event.ctrlKey || event.altKey ? "word" : "character";
        selection.modify(event.shiftKey ? "extend" : "move", MOVES[event.key], unit);
        if (event.shiftKey && !selection.isCollapsed) help.textContent = `Selected: ${selection.toString().slice(0, 200)}`;
      } else if (event.key === "Enter") {
        event.preventDefault();
        if (selection.isCollapsed) {
          help.textContent = "Nothing selected: hold Shift and use the arrows to select a statement.";
          return;
        }
        this.openClaimForm();
      } else if (event.key === "Escape") {
        setOn(false);
        toggle.focus();
      }
    });
  }

  bindAnnotating() {
    this.dialog = document.getElementById("claim-dialog");
    let pointerDown = false;
    let frame = 0;
    const schedule = () => {
      if (!frame) {
        frame = requestAnimationFrame(() => {
          frame = 0;
          this.updatePopover();
        });
      }
    };
    document.addEventListener("mousedown", (event) => {
      if (this.popover.contains(event.target)) return;
      pointerDown = true;
      this.hidePopover();
    });
    document.addEventListener("mouseup", () => {
      pointerDown = false;
      schedule();
    });
    // Keyboard extension (shift+arrows) and other selection changes while no button is held.
    document.addEventListener("selectionchange", () => {
      if (!pointerDown) schedule();
    });
    this.bindCaret();
    const button = document.getElementById("claim-popover-button");
    button.addEventListener("mousedown", (event) => event.preventDefault()); // keep the selection
    button.addEventListener("click", () => this.openClaimForm());
    document.addEventListener("keydown", (event) => {
      const idle = document.activeElement === document.body || this.root.contains(document.activeElement);
      if (event.key === "Enter" && !event.shiftKey && idle && !this.popover.hidden && !button.disabled) {
        event.preventDefault();
        this.openClaimForm();
      }
    });
  }

  /** The selectors of what is selected in the article now, with its DOM range; null when nothing is. */
  currentSelection() {
    const span = selectedSpan(this.root, this.text);
    if (span === null) return null;
    try {
      return { selectors: this.index.selectors(span.start, span.end), range: span.range };
    } catch {
      return null;
    }
  }

  updatePopover() {
    if (this.dialog.open) return;
    const current = this.currentSelection();
    if (current === null) {
      this.hidePopover();
      return;
    }
    const { selectors, range } = current;
    if (this.dismissed === `${selectors.start}:${selectors.end}`) {
      this.hidePopover();
      return;
    }
    this.dismissed = null;
    const button = document.getElementById("claim-popover-button");
    const message = document.getElementById("claim-popover-message");
    const length = selectors.end - selectors.start;
    const tooLong = length > this.maxChars;
    button.disabled = tooLong;
    message.hidden = !tooLong;
    message.textContent = tooLong ? `${length} characters selected; a claim can quote at most ${this.maxChars}.` : "";
    this.pendingSelection = tooLong ? null : selectors;
    const rects = range.getClientRects();
    const last = rects.length ? rects[rects.length - 1] : range.getBoundingClientRect();
    this.popover.hidden = false;
    this.place(this.popover, last.right, last.bottom + POPOVER_GAP);
  }

  hidePopover() {
    if (this.popover) this.popover.hidden = true;
    this.pendingSelection = null;
  }

  /** The claim form, its module loaded on first use (or ahead of it, once the page is interactive). */
  claimForm() {
    if (this.form === null) {
      this.form = import("./claim-form.js").then(
        ({ ClaimForm }) =>
          new ClaimForm(this.dialog, {
            articleId: this.articleId,
            urls: this.urls,
            speakers: this.speakers,
            onSaved: (claim, selectors, payload) => this.onClaimSaved(claim, selectors, payload),
          }),
      );
    }
    return this.form;
  }

  openClaimForm() {
    // Read the selection again: a keystroke may have extended it since the popover was placed.
    const current = this.currentSelection();
    const selectors = current !== null && current.selectors.end - current.selectors.start <= this.maxChars
      ? current.selectors
      : this.pendingSelection;
    if (selectors === null) return;
    this.hidePopover();
    this.claimForm().then((form) => form.open(selectors));
  }

  onClaimSaved(claim, selectors, payload) {
    // Counted as the server counts them for the reader: findings not rejected.
    const open = (Array.isArray(claim.findings) ? claim.findings : []).filter((f) => f.state !== "rejected");
    const contradictions = open.filter((f) => f.kind === "contradiction").length;
    this.claims.set(claim.id, {
      id: claim.id,
      text: claim.text ?? payload.text,
      speaker: claim.speaker ?? payload.speaker,
      status: claim.status ?? "unreviewed",
      check_status: claim.check_status ?? "pending",
      findings: { total: open.length, contradictions, duplicates: open.length - contradictions },
    });
    this.highlights.push({
      annotation: null,
      claim: claim.id,
      start: this.index.toUtf16(selectors.start),
      end: this.index.toUtf16(selectors.end),
      exact: selectors.exact,
      state: "exact",
      score: 1,
    });
    window.getSelection()?.removeAllRanges();
    this.render();
    this.selectClaim(claim.id, { scrollPanel: true });
    this.scheduleRefresh();
  }

  /** Poll while checks or re-anchoring are under way, so statuses and findings appear by themselves. */
  scheduleRefresh() {
    window.clearTimeout(this.refreshTimer);
    const busy =
      this.pending.length > 0 ||
      (this.triage !== null && this.triage.state === "pending") ||
      [...this.claims.values()].some((claim) => claim.check_status === "pending" || claim.check_status === "running");
    if (!busy || this.refreshes >= REFRESH_MAX || !this.urls.refresh) return;
    this.refreshTimer = window.setTimeout(() => this.refresh(), REFRESH_EVERY_MS);
  }

  /** Redraw from the server now (after accepting or dismissing a triage suggestion). */
  async reloadNow() {
    const { getJson } = await import("./api.js");
    const data = await getJson(this.urls.refresh);
    this.load(data);
    this.render();
    this.scheduleRefresh();
  }

  async refresh() {
    this.refreshes++;
    let data;
    try {
      const { getJson } = await import("./api.js");
      data = await getJson(this.urls.refresh);
    } catch {
      this.scheduleRefresh();
      return;
    }
    if (data.revision.number !== this.revision.number) {
      const notice = document.getElementById("reader-notice");
      notice.textContent = `A newer revision (${data.revision.number}) of this article exists. Reload the page to read it.`;
      notice.hidden = false;
      return;
    }
    const selection = window.getSelection();
    const busyUser = (selection && !selection.isCollapsed) || (this.dialog && this.dialog.open);
    if (busyUser) {
      this.scheduleRefresh(); // never redraw under a selection the user is making
      return;
    }
    this.load(data);
    this.render();
    this.scheduleRefresh();
  }
}

const reader = new Reader(JSON.parse(document.getElementById("reader-data").textContent));
reader.render();
reader.bind();
reader.scheduleRefresh();
document.body.dataset.readerReady = "1";
performance.mark("reader:interactive");
if (reader.canAnnotate) requestIdleCallback(() => reader.claimForm(), { timeout: 2000 });
