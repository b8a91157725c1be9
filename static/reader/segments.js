// Splitting paragraphs into segments at every highlight boundary, so overlapping and nested
// highlights are drawn as flat runs of text, each knowing every highlight that covers it.

/**
 * @param {{start: number, end: number}[]} paragraphs UTF-16 spans, in order, not overlapping
 * @param {{start: number, end: number}[]} spans highlight UTF-16 spans (any order, may overlap)
 * @returns {{start: number, end: number, cover: number[]}[][]} per paragraph, its segments; ``cover``
 *   lists the indices into ``spans`` covering the segment, innermost (shortest) first
 */
export function buildSegments(paragraphs, spans) {
  const events = [];
  spans.forEach((span, index) => {
    if (span.end > span.start) {
      events.push({ at: span.start, index, open: true });
      events.push({ at: span.end, index, open: false });
    }
  });
  // Closing before opening at the same place keeps adjacent highlights from touching.
  events.sort((a, b) => a.at - b.at || Number(a.open) - Number(b.open));
  const active = new Set();
  const byLength = (a, b) => spans[a].end - spans[a].start - (spans[b].end - spans[b].start) || a - b;
  let next = 0;
  const apply = (event) => (event.open ? active.add(event.index) : active.delete(event.index));
  const result = [];
  for (const paragraph of paragraphs) {
    while (next < events.length && events[next].at <= paragraph.start) apply(events[next++]);
    const segments = [];
    let cursor = paragraph.start;
    let cover = active.size ? [...active].sort(byLength) : [];
    while (next < events.length && events[next].at < paragraph.end) {
      const at = events[next].at;
      if (at > cursor) {
        segments.push({ start: cursor, end: at, cover });
        cursor = at;
      }
      while (next < events.length && events[next].at === at) apply(events[next++]);
      cover = active.size ? [...active].sort(byLength) : [];
    }
    if (paragraph.end > cursor || segments.length === 0) {
      segments.push({ start: cursor, end: paragraph.end, cover });
    }
    result.push(segments);
  }
  return result;
}
