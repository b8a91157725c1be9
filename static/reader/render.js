// Building the reader's DOM. Every piece of article or claim text goes in as a Text node or through
// textContent: nothing here parses HTML.

import { buildSegments } from "./segments.js";

export const STATUS_LABELS = {
  unreviewed: "Unreviewed",
  corroborated: "Corroborated",
  disputed: "Disputed",
  unreliable: "Unreliable",
};

export const CHECK_LABELS = {
  pending: "Check pending",
  running: "Checking…",
  done: "Checked",
  failed: "Check failed",
};

const MAX_DEPTH_CLASS = 3;

function el(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined && text !== null) element.textContent = text;
  return element;
}

function statusOf(claim) {
  return claim && STATUS_LABELS[claim.status] ? claim.status : "unreviewed";
}

export function shorten(text, limit = 90) {
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

function describe(highlight, claim) {
  const parts = [`${STATUS_LABELS[statusOf(claim)]}: ${claim ? shorten(claim.text, 120) : ""}`];
  if (highlight.state === "needs_review") parts.push(`(anchor needs review, score ${highlight.score.toFixed(2)})`);
  return parts.join(" ");
}

/** The tooltip of a highlight segment, built when first hovered rather than for every segment up front. */
export function titleFor(mark, highlights, claims) {
  return mark.dataset.h
    .split(" ")
    .map((index) => describe(highlights[Number(index)], claims.get(highlights[Number(index)].claim)))
    .join("\n");
}

/**
 * Draw the text with its highlights in one DocumentFragment and swap it in at once (one layout).
 * @returns {Map<number, HTMLElement[]>} the marks of each claim, in document order
 */
export function renderText(root, text, paragraphs, highlights, claims) {
  const perParagraph = buildSegments(paragraphs, highlights);
  const marksByClaim = new Map();
  const fragment = document.createDocumentFragment();
  for (let i = 0; i < paragraphs.length; i++) {
    const p = document.createElement("p");
    p.dataset.o = String(paragraphs[i].start);
    for (const segment of perParagraph[i]) {
      const slice = text.slice(segment.start, segment.end);
      if (segment.cover.length === 0) {
        p.append(slice); // a Text node: never parsed as markup
        continue;
      }
      const inner = highlights[segment.cover[0]];
      const depth = segment.cover.length;
      let className = `hl st-${statusOf(claims.get(inner.claim))}`;
      // Overlaps: darker by depth, striped, and topped with the line colour of the next claim out, so
      // even a one-character overlap reads as two claims.
      if (depth > 1) className += ` d${Math.min(depth, MAX_DEPTH_CLASS)}`;
      if (segment.cover.some((index) => highlights[index].state === "needs_review")) className += " rv";
      const mark = el("mark", className, slice);
      mark.dataset.h = segment.cover.join(" ");
      if (depth > 1) mark.dataset.ov = statusOf(claims.get(highlights[segment.cover[1]].claim));
      for (const index of segment.cover) {
        const claimId = highlights[index].claim;
        let marks = marksByClaim.get(claimId);
        if (marks === undefined) marksByClaim.set(claimId, (marks = []));
        marks.push(mark);
      }
      p.append(mark);
    }
    fragment.append(p);
  }
  root.replaceChildren(fragment);
  return marksByClaim;
}

function findingsLabel(findings) {
  const total = findings ? findings.total : 0;
  if (!total) return "No findings";
  const parts = [];
  if (findings.contradictions) parts.push(`${findings.contradictions} contradiction${findings.contradictions === 1 ? "" : "s"}`);
  if (findings.duplicates) parts.push(`${findings.duplicates} duplicate${findings.duplicates === 1 ? "" : "s"}`);
  return `${total} finding${total === 1 ? "" : "s"}${parts.length ? ` (${parts.join(", ")})` : ""}`;
}

function claimBody(claim, anchor) {
  const button = el("button", "claim-button");
  button.type = "button";
  button.dataset.claim = String(claim.id);
  const status = statusOf(claim);
  button.append(el("span", `badge st-${status}`, STATUS_LABELS[status]));
  button.append(el("span", "claim-text", claim.text));
  const meta = el("span", "claim-meta");
  if (claim.speaker) meta.append(el("span", "speaker", claim.speaker));
  meta.append(el("span", `check check-${claim.check_status}`, CHECK_LABELS[claim.check_status] || claim.check_status));
  const findings = el("span", "findings", findingsLabel(claim.findings));
  if (claim.findings && claim.findings.contradictions) findings.classList.add("has-contradictions");
  meta.append(findings);
  button.append(meta);
  if (anchor) button.append(anchor);
  return button;
}

function claimLink(claim, urls) {
  if (!urls.claim) return null;
  const link = el("a", "claim-open", "Open claim");
  link.href = urls.claim.replace("{id}", String(claim.id));
  return link;
}

/**
 * The side panel: one entry per claim in text order; anchors needing review and highlights awaiting
 * re-anchoring are marked on their entry.
 */
export function renderClaimList(list, entries, claims, urls) {
  const fragment = document.createDocumentFragment();
  for (const { claimId, highlight, pending } of entries) {
    const claim = claims.get(claimId);
    if (!claim) continue;
    const item = el("li", `claim-item st-${statusOf(claim)}`);
    item.dataset.claim = String(claimId);
    let anchor = null;
    if (pending) {
      anchor = el("span", "anchor-note pending", "Being re-anchored onto this revision…");
    } else if (highlight && highlight.state === "needs_review") {
      anchor = el("span", "anchor-note rv", `Anchor needs review · score ${highlight.score.toFixed(2)}`);
    } else if (highlight && highlight.state === "fuzzy") {
      anchor = el("span", "anchor-note fz", `Re-anchored · score ${highlight.score.toFixed(2)}`);
    }
    item.append(claimBody(claim, anchor));
    const link = claimLink(claim, urls);
    if (link) item.append(link);
    fragment.append(item);
  }
  list.replaceChildren(fragment);
}

export function renderOrphans(list, orphans, claims, urls) {
  const fragment = document.createDocumentFragment();
  for (const orphan of orphans) {
    const claim = claims.get(orphan.claim);
    if (!claim) continue;
    const item = el("li", `claim-item orphan st-${statusOf(claim)}`);
    item.dataset.claim = String(orphan.claim);
    const quote = el("q", "orphan-quote", orphan.exact);
    const note = el("span", "anchor-note orphan", `Last found in revision ${orphan.revision}`);
    const body = claimBody(claim, note);
    body.insertBefore(quote, body.children[1]);
    item.append(body);
    const link = claimLink(claim, urls);
    if (link) item.append(link);
    fragment.append(item);
  }
  list.replaceChildren(fragment);
}

/** The menu offered when a place covered by several claims is clicked. */
export function renderChooser(chooser, claimIds, claims) {
  const fragment = document.createDocumentFragment();
  const title = el("p", "chooser-title", `${claimIds.length} claims cover this text`);
  title.setAttribute("role", "none");
  fragment.append(title);
  for (const claimId of claimIds) {
    const claim = claims.get(claimId);
    if (!claim) continue;
    const button = el("button", "chooser-item");
    button.type = "button";
    button.setAttribute("role", "menuitem");
    button.tabIndex = -1; // one tab stop: the arrows move between the items
    button.dataset.claim = String(claimId);
    const status = statusOf(claim);
    button.append(el("span", `badge st-${status}`, STATUS_LABELS[status]));
    button.append(el("span", "claim-text", shorten(claim.text, 110)));
    fragment.append(button);
  }
  chooser.replaceChildren(fragment);
}
