// From a DOM selection to UTF-16 offsets into the article text. Each rendered paragraph carries the
// UTF-16 offset of its first character (data-o); the "\n\n" between paragraphs is not in the DOM.

import { snapToGrapheme, trimSpan } from "./offsets.js";

/** UTF-16 offset into the text of a DOM boundary point, clamped to the article. */
export function pointToOffset(root, textLength, node, offset) {
  const whole = document.createRange();
  whole.selectNodeContents(root);
  const side = whole.comparePoint(node, offset);
  if (side < 0) return 0;
  if (side > 0) return textLength;
  const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
  const paragraph = element === root ? null : element.closest("p[data-o]");
  if (paragraph === null || !root.contains(paragraph)) {
    // A point between paragraphs (in the container itself): the next paragraph's start.
    for (const candidate of root.children) {
      if (rangeOf(candidate).comparePoint(node, offset) <= 0) return Number(candidate.dataset.o);
    }
    return textLength;
  }
  const before = document.createRange();
  before.setStart(paragraph, 0);
  before.setEnd(node, offset);
  return Number(paragraph.dataset.o) + before.toString().length;
}

function rangeOf(element) {
  const range = document.createRange();
  range.selectNodeContents(element);
  return range;
}

/**
 * The user's selection in the article as a UTF-16 span, trimmed of white space and widened to whole
 * characters (grapheme clusters); null when nothing of the article is selected.
 */
export function selectedSpan(root, text) {
  const selection = window.getSelection();
  if (selection === null || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  if (!range.intersectsNode(root)) return null;
  const start = pointToOffset(root, text.length, range.startContainer, range.startOffset);
  const end = pointToOffset(root, text.length, range.endContainer, range.endOffset);
  const trimmed = trimSpan(text, start, end);
  if (trimmed === null) return null;
  return {
    start: snapToGrapheme(text, trimmed.start, -1),
    end: snapToGrapheme(text, trimmed.end, +1),
    range,
  };
}
