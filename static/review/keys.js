// Shared keyboard rules: page shortcuts never fire while the user types or a dialog is open.

const TYPING = "input, textarea, select, [contenteditable=''], [contenteditable='true']";

/** @param {KeyboardEvent} event */
export function isShortcut(event) {
  if (event.defaultPrevented || event.isComposing || event.ctrlKey || event.metaKey || event.altKey) return false;
  const target = event.target instanceof Element ? event.target : null;
  if (target && target.closest(TYPING)) return false;
  if (document.querySelector("dialog[open]")) return false;
  return true;
}
