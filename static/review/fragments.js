// Swapping in HTML the server rendered. Fragments come from our own Django templates, where every
// value is autoescaped; DOMParser parses them inertly (no script runs, nothing loads) before the
// nodes are adopted, as htmx's swaps do. Never pass text that did not come from such a template.

/** @param {string} html @returns {Node[]} */
export function nodesFrom(html) {
  const doc = new DOMParser().parseFromString(`<!doctype html><body>${html}`, "text/html");
  return [...doc.body.childNodes].map((node) => document.adoptNode(node));
}

/** Replace an element by the first element of a fragment; returns the new element. */
export function replaceElement(element, html) {
  const replacement = nodesFrom(html).find((node) => node.nodeType === Node.ELEMENT_NODE);
  if (!replacement) return element;
  element.replaceWith(replacement);
  return replacement;
}

export function replaceContent(container, html) {
  container.replaceChildren(...nodesFrom(html));
}
