// Offsets into the article text. The server stores Unicode code points (W3C TextPositionSelector);
// the DOM counts UTF-16 code units. This module is the only place that converts between the two.

const CONTEXT_LENGTH = 32; // code points of prefix and suffix in a TextQuoteSelector

function isHigh(unit) {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLow(unit) {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

export class TextIndex {
  /** @param {string} text the revision's normalised text, as sent by the server */
  constructor(text) {
    this.text = text;
    this.length16 = text.length;
    let pairs = 0;
    for (let i = 0; i + 1 < text.length; i++) {
      if (isHigh(text.charCodeAt(i)) && isLow(text.charCodeAt(i + 1))) {
        pairs++;
        i++;
      }
    }
    this.lengthCp = text.length - pairs;
    // Most news text has no astral characters: then both offsets are the same and no table is built.
    this.cpTo16 = null;
    this.u16ToCp = null;
    if (pairs === 0) return;
    const cpTo16 = new Int32Array(this.lengthCp + 1);
    const u16ToCp = new Int32Array(text.length + 1);
    let cp = 0;
    for (let i = 0; i < text.length; i++, cp++) {
      cpTo16[cp] = i;
      u16ToCp[i] = cp;
      if (i + 1 < text.length && isHigh(text.charCodeAt(i)) && isLow(text.charCodeAt(i + 1))) {
        u16ToCp[i + 1] = -1; // between the halves of a pair: not a character boundary
        i++;
      }
    }
    cpTo16[cp] = text.length;
    u16ToCp[text.length] = cp;
    this.cpTo16 = cpTo16;
    this.u16ToCp = u16ToCp;
  }

  /** UTF-16 offset of a code point offset. */
  toUtf16(cp) {
    if (!Number.isInteger(cp) || cp < 0 || cp > this.lengthCp) {
      throw new RangeError(`code point offset ${cp} is outside 0..${this.lengthCp}`);
    }
    return this.cpTo16 === null ? cp : this.cpTo16[cp];
  }

  /** Code point offset of a UTF-16 offset; one between the halves of a surrogate pair is an error. */
  toCodePoint(u16) {
    if (!Number.isInteger(u16) || u16 < 0 || u16 > this.length16) {
      throw new RangeError(`UTF-16 offset ${u16} is outside 0..${this.length16}`);
    }
    if (this.u16ToCp === null) return u16;
    const cp = this.u16ToCp[u16];
    if (cp < 0) throw new RangeError(`UTF-16 offset ${u16} splits a surrogate pair`);
    return cp;
  }

  /** The W3C selectors of text[start16:end16]: positions in code points, 32 code points of context. */
  selectors(start16, end16) {
    const start = this.toCodePoint(start16);
    const end = this.toCodePoint(end16);
    const prefixFrom = this.toUtf16(Math.max(0, start - CONTEXT_LENGTH));
    const suffixTo = this.toUtf16(Math.min(this.lengthCp, end + CONTEXT_LENGTH));
    return {
      start,
      end,
      exact: this.text.slice(start16, end16),
      prefix: this.text.slice(prefixFrom, start16),
      suffix: this.text.slice(end16, suffixTo),
    };
  }
}

const PARAGRAPH_BREAK = "\n\n";

/** Paragraphs of a normalised text (separated by one blank line) with their UTF-16 spans. */
export function paragraphsOf(text) {
  const paragraphs = [];
  let start = 0;
  for (;;) {
    const at = text.indexOf(PARAGRAPH_BREAK, start);
    const end = at === -1 ? text.length : at;
    paragraphs.push({ start, end });
    if (at === -1) break;
    start = at + PARAGRAPH_BREAK.length;
  }
  return paragraphs;
}

const segmenter =
  typeof Intl !== "undefined" && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;

/**
 * Move a UTF-16 offset out of a grapheme cluster (an emoji ZWJ sequence, a letter and its combining
 * marks) to its start (direction < 0) or end (direction > 0), as the server refuses split characters.
 */
export function snapToGrapheme(text, u16, direction) {
  if (u16 <= 0 || u16 >= text.length) return u16;
  if (segmenter === null) {
    // Without Intl.Segmenter at least never split a surrogate pair.
    if (isLow(text.charCodeAt(u16)) && isHigh(text.charCodeAt(u16 - 1))) return direction < 0 ? u16 - 1 : u16 + 1;
    return u16;
  }
  const from = Math.max(0, text.lastIndexOf(PARAGRAPH_BREAK, u16 - 1));
  let to = text.indexOf(PARAGRAPH_BREAK, u16);
  if (to === -1) to = text.length;
  for (const { index, segment } of segmenter.segment(text.slice(from, to))) {
    const start = from + index;
    const end = start + segment.length;
    if (u16 <= start) return u16;
    if (u16 < end) return direction < 0 ? start : end;
  }
  return u16;
}

const SPACE = /\s/;

/** Trim white space off both ends of a span; returns null when nothing is left. */
export function trimSpan(text, start, end) {
  while (start < end && SPACE.test(text[start])) start++;
  while (end > start && SPACE.test(text[end - 1])) end--;
  return end > start ? { start, end } : null;
}
