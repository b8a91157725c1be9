// What triage found when the article arrived: sentences that repeat a stored claim ("repeats claim
// #12 · disputed", a link to the claim) and sentences worth checking (a light margin mark). The
// sentences are tinted with the CSS Custom Highlight API, so the article's DOM (and the offsets the
// selection code reads from it) is untouched; the margin flags sit inside their paragraph with no
// text of their own (their label is CSS generated content), so Range.toString() never counts them.
// The "On arrival" panel lists the same with Accept / Dismiss for annotators.

import { STATUS_LABELS, shorten } from "./render.js";

function el(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined && text !== null) element.textContent = text;
  return element;
}

/** The DOM point at a UTF-16 offset of the article, or null when the paragraph is not drawn. */
function domPoint(root, offset) {
  let paragraph = null;
  for (const candidate of root.children) {
    if (Number(candidate.dataset.o) > offset) break;
    paragraph = candidate;
  }
  if (paragraph === null) return null;
  let left = offset - Number(paragraph.dataset.o);
  const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
  let node = walker.nextNode();
  let last = null;
  while (node) {
    if (left <= node.length) return { paragraph, node, offset: left };
    left -= node.length;
    last = node;
    node = walker.nextNode();
  }
  return last ? { paragraph, node: last, offset: last.length } : null;
}

function statusOf(status) {
  return STATUS_LABELS[status] ? status : "unreviewed";
}

// "duplicate": the sentence is the claim; "contains": it makes the claim among other things, a
// looser test (see claims/detection/repeats.py), so it is worded as a question for the editor.
function repeatVerb(repeat) {
  return repeat.relation === "contains" ? "may repeat" : "repeats";
}

export function repeatLabel(repeat) {
  return `${repeatVerb(repeat)} claim #${repeat.claim} · ${STATUS_LABELS[statusOf(repeat.status)].toLowerCase()}`;
}

export class TriageLayer {
  constructor(reader) {
    this.reader = reader;
    this.panel = document.getElementById("triage");
    this.list = document.getElementById("triage-list");
    this.status = document.getElementById("triage-state");
    this.toggle = document.getElementById("triage-marks-toggle");
    this.observer = null;
    this.supported = typeof CSS !== "undefined" && "highlights" in CSS && typeof Highlight !== "undefined";
    this.panel.addEventListener("click", (event) => this.onPanelClick(event));
    this.toggle.addEventListener("change", () => this.setShowMarks(this.toggle.checked));
    reader.root.addEventListener("click", (event) => {
      const flag = event.target.closest("button.triage-flag");
      if (!flag) return;
      event.stopPropagation();
      this.makeClaim(Number(flag.dataset.start), Number(flag.dataset.end), flag.dataset.speaker || "");
    });
  }

  /** The sentences to show, in UTF-16 offsets; worth-checking marks of sentences already highlighted
   * as a claim are left out (the claim is there). */
  sentences() {
    const triage = this.reader.triage;
    if (!triage || triage.state !== "done") return [];
    const index = this.reader.index;
    const shown = [];
    for (const sentence of triage.sentences) {
      let start;
      let end;
      try {
        start = index.toUtf16(sentence.start);
        end = index.toUtf16(sentence.end);
      } catch {
        continue;
      }
      const claimed = this.reader.highlights.some((h) => h.start < end && h.end > start);
      const marked = sentence.marked && triage.show_marks && !claimed;
      if (!marked && sentence.repeats.length === 0) continue;
      shown.push({ ...sentence, start, end, cpStart: sentence.start, cpEnd: sentence.end, marked });
    }
    return shown;
  }

  render() {
    const triage = this.reader.triage;
    this.panel.hidden = !triage;
    if (!triage) return;
    this.toggle.checked = Boolean(triage.show_marks);
    const sentences = this.sentences();
    this.status.textContent =
      triage.state === "pending"
        ? "Reading the article against the stored claims…"
        : triage.state === "failed"
          ? "Triage failed; it is tried again shortly."
          : sentences.length === 0
            ? "Nothing to point out: no repeats of stored claims, no sentence marked."
            : "";
    document.getElementById("triage-count").textContent = sentences.length ? String(sentences.length) : "";
    this.renderText(sentences);
    this.renderPanel(sentences);
  }

  renderText(sentences) {
    const root = this.reader.root;
    for (const old of root.querySelectorAll(".triage-flag")) old.remove(); // a redraw of the marks alone
    root.classList.toggle("has-triage", sentences.length > 0);
    const repeats = [];
    const marks = [];
    if (this.observer) this.observer.disconnect();
    const flagged = new Map(); // paragraph -> its flags, positioned once the paragraph is laid out
    for (const sentence of sentences) {
      const from = domPoint(root, sentence.start);
      const to = domPoint(root, sentence.end);
      if (!from || !to) continue;
      const range = document.createRange();
      range.setStart(from.node, from.offset);
      range.setEnd(to.node, to.offset);
      (sentence.repeats.length ? repeats : marks).push(range);
      const flag = this.flagFor(sentence);
      from.paragraph.prepend(flag);
      if (!flagged.has(from.paragraph)) flagged.set(from.paragraph, []);
      flagged.get(from.paragraph).push({ flag, range });
    }
    if (this.supported) {
      CSS.highlights.set("triage-repeat", new Highlight(...repeats));
      CSS.highlights.set("triage-mark", new Highlight(...marks));
    }
    // Paragraphs out of view are not laid out (content-visibility): place their flags when they are.
    this.observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        this.place(flagged.get(entry.target) || []);
        this.observer.unobserve(entry.target);
      }
    }, { rootMargin: "200px" });
    for (const paragraph of flagged.keys()) this.observer.observe(paragraph);
  }

  place(flags) {
    let below = -Infinity;
    for (const { flag, range } of flags.reverse()) {
      const paragraph = flag.parentElement;
      if (!paragraph) continue;
      const top = range.getClientRects()[0]?.top ?? range.getBoundingClientRect().top;
      const offset = Math.max(top - paragraph.getBoundingClientRect().top, below);
      flag.style.top = `${offset}px`;
      below = offset + flag.offsetHeight + 2;
    }
  }

  flagFor(sentence) {
    const repeat = sentence.repeats[0];
    if (repeat) {
      const link = el("a", `triage-flag repeat st-${statusOf(repeat.status)}`);
      const label = repeatLabel(repeat);
      link.dataset.label = label;
      link.setAttribute("aria-label", `This sentence ${label}: open the claim`);
      link.href = this.reader.urls.claim ? this.reader.urls.claim.replace("{id}", String(repeat.claim)) : "#";
      return link;
    }
    if (this.reader.canAnnotate) {
      const button = el("button", "triage-flag worth");
      button.type = "button";
      button.dataset.label = "worth checking";
      button.dataset.start = String(sentence.start);
      button.dataset.end = String(sentence.end);
      button.dataset.speaker = sentence.speaker || "";
      button.setAttribute("aria-label", `Worth checking: make a claim of “${shorten(this.textOf(sentence), 80)}”`);
      return button;
    }
    const mark = el("span", "triage-flag worth");
    mark.dataset.label = "worth checking";
    mark.setAttribute("aria-hidden", "true");
    return mark;
  }

  textOf(sentence) {
    return this.reader.text.slice(sentence.start, sentence.end);
  }

  renderPanel(sentences) {
    const fragment = document.createDocumentFragment();
    const canAct = this.reader.canAnnotate;
    for (const sentence of sentences) {
      const quote = shorten(this.textOf(sentence), 140);
      for (const repeat of sentence.repeats) {
        const item = el("li", `triage-item repeat st-${statusOf(repeat.status)}`);
        item.append(el("q", "triage-quote", quote));
        const verb = repeatVerb(repeat);
        const link = el(
          "a",
          "triage-claim",
          `${verb[0].toUpperCase()}${verb.slice(1)} claim #${repeat.claim} · ${STATUS_LABELS[statusOf(repeat.status)]}`,
        );
        if (this.reader.urls.claim) link.href = this.reader.urls.claim.replace("{id}", String(repeat.claim));
        item.append(link);
        item.append(el("span", "triage-claim-text", shorten(repeat.text || "", 160)));
        if (canAct) {
          item.append(this.actions(sentence, repeat.claim, [
            ["accept", "Accept", `Accept: record this sentence as an appearance of claim #${repeat.claim}`],
            ["dismiss", "Dismiss", `Dismiss: this sentence does not repeat claim #${repeat.claim}`],
          ]));
        }
        fragment.append(item);
      }
      if (sentence.marked && sentence.repeats.length === 0) {
        const item = el("li", "triage-item worth");
        item.append(el("q", "triage-quote", quote));
        if (sentence.speaker) item.append(el("span", "triage-speaker", `Attributed to ${sentence.speaker}`));
        if (canAct) {
          item.append(this.actions(sentence, null, [
            ["claim", "Make a claim", `Make a claim of “${shorten(quote, 60)}”`],
            ["dismiss", "Not worth it", `Not worth checking: “${shorten(quote, 60)}”`],
          ]));
        }
        fragment.append(item);
      }
    }
    this.list.replaceChildren(fragment);
  }

  actions(sentence, claimId, buttons) {
    const row = el("div", "triage-actions");
    for (const [action, text, label] of buttons) {
      const button = el("button", `triage-${action}`, text);
      button.type = "button";
      button.dataset.action = action;
      button.dataset.start = String(sentence.start);
      button.dataset.end = String(sentence.end);
      button.dataset.cpStart = String(sentence.cpStart);
      button.dataset.cpEnd = String(sentence.cpEnd);
      button.dataset.speaker = sentence.speaker || "";
      if (claimId !== null) button.dataset.claim = String(claimId);
      button.setAttribute("aria-label", label);
      row.append(button);
    }
    const error = el("p", "field-error");
    error.setAttribute("role", "alert");
    error.hidden = true;
    row.append(error);
    return row;
  }

  async onPanelClick(event) {
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    const { action } = button.dataset;
    if (action === "claim") {
      this.makeClaim(Number(button.dataset.start), Number(button.dataset.end), button.dataset.speaker);
      return;
    }
    const body = {
      start: Number(button.dataset.cpStart),
      end: Number(button.dataset.cpEnd),
      claim: button.dataset.claim ? Number(button.dataset.claim) : null,
    };
    const error = button.parentElement.querySelector(".field-error");
    button.disabled = true;
    try {
      const { postJson } = await import("./api.js");
      await postJson(`${this.reader.urls.triage}${action}/`, body);
    } catch (failure) {
      error.textContent = failure.message || "Could not save: try again.";
      error.hidden = false;
      button.disabled = false;
      return;
    }
    await this.reader.reloadNow();
    document.getElementById("triage-heading").focus({ preventScroll: true });
  }

  /** Open the claim form on the sentence, with the speaker read from its attribution. */
  makeClaim(start16, end16, speaker) {
    const selectors = this.reader.index.selectors(start16, end16);
    this.reader.claimForm().then((form) => form.open(selectors, { speaker }));
  }

  async setShowMarks(show) {
    this.reader.triage.show_marks = show;
    this.render();
    try {
      const { putJson } = await import("./api.js");
      await putJson(this.reader.urls.triage_preferences, { show_marks: show });
    } catch {
      this.status.textContent = "Could not remember this choice: it holds until you reload.";
    }
  }
}
