// "Figures in dispute": one strip plot per measure and scope (place, body) within a group of
// contradicting claims, so a town's toll never shares an axis with its province's. Each reported figure is a
// row (source and date on the left) on one shared value axis, so the spread shows at a glance: a dot
// for an exact figure, a bar for a range or a hedged figure, an arrow for an open bound ("more than").
// Built with DOM calls only (textContent, setAttribute): no markup strings, no style attributes.

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 1200;
const DATE_WIDTH = 96;
const PLOT_LEFT = 470;
const PLOT_RIGHT = WIDTH - 150;
const ROW = 28;
const TOP = 8;
const AXIS = 34;
const number = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 2 });
const compact = new Intl.NumberFormat("en-GB", { notation: "compact", maximumFractionDigits: 1 });
const day = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric" });

function el(name, attributes = {}, text = "") {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text) node.textContent = text;
  return node;
}

/** A linear or logarithmic scale over the figures, whichever shows their spread better. */
export function scaleFor(figures) {
  const lows = figures.map((f) => f.low);
  const highs = figures.map((f) => (f.high === null ? f.value * 1.3 : f.high));
  let min = Math.min(...lows, ...figures.map((f) => f.value));
  let max = Math.max(...highs, ...figures.map((f) => f.value));
  const log = min > 0 && max / min >= 8;
  if (log) {
    min = 10 ** Math.floor(Math.log10(min));
    max = 10 ** Math.ceil(Math.log10(max));
  } else {
    const step = niceStep((max - Math.max(0, min)) / 5 || 1);
    min = min >= 0 && min < (max - min) * 1.5 ? 0 : Math.floor(min / step) * step;
    max = Math.ceil(max / step) * step;
    if (max === min) max = min + step;
  }
  const project = log
    ? (v) => PLOT_LEFT + ((Math.log10(Math.max(v, min)) - Math.log10(min)) / (Math.log10(max) - Math.log10(min))) * (PLOT_RIGHT - PLOT_LEFT)
    : (v) => PLOT_LEFT + ((v - min) / (max - min)) * (PLOT_RIGHT - PLOT_LEFT);
  return { log, min, max, x: project, ticks: log ? logTicks(min, max) : linearTicks(min, max) };
}

function niceStep(raw) {
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
}

function linearTicks(min, max) {
  const step = niceStep((max - min) / 5);
  const ticks = [];
  for (let value = min; value <= max + step / 1000; value += step) ticks.push(Number(value.toPrecision(12)));
  return ticks;
}

function logTicks(min, max) {
  const ticks = [];
  for (let power = Math.log10(min); power <= Math.log10(max) + 1e-9; power += 1) {
    for (const factor of [1, 2, 5]) {
      const value = factor * 10 ** power;
      if (value >= min && value <= max * 1.0001) ticks.push(value);
    }
  }
  return ticks;
}

function truncate(text, length) {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

/**
 * @param {HTMLElement} container
 * @param {{ title: string, topic: string, figures: Array<any> }} group
 * @param {Record<string, string>} colours status -> colour
 */
export function drawFigureGroup(container, group, colours) {
  const figures = group.figures;
  const scale = scaleFor(figures);
  const height = TOP + figures.length * ROW + AXIS;
  const svg = el("svg", {
    viewBox: `0 0 ${WIDTH} ${height}`,
    class: "strip-svg",
    role: "img",
    "aria-label": `${group.title}${group.topic ? ` (${group.topic})` : ""}: ${figures.map((f) => `${f.surface} (${f.outlet || f.speaker || "unknown source"})`).join("; ")}`,
  });
  const defs = el("defs");
  for (const [status, fill] of Object.entries(colours)) {
    const marker = el("marker", {
      id: `arrow-${status}-${container.dataset.plot}`,
      viewBox: "0 0 10 10", refX: 8, refY: 5, markerWidth: 11, markerHeight: 11, orient: "auto",
      markerUnits: "userSpaceOnUse",
    });
    marker.append(el("path", { d: "M0,0 L10,5 L0,10 z", fill }));
    defs.append(marker);
  }
  svg.append(defs);
  const plotBottom = TOP + figures.length * ROW;
  const grid = el("g", { class: "grid" });
  for (const tick of scale.ticks) {
    const x = scale.x(tick);
    grid.append(el("line", { x1: x, x2: x, y1: TOP - 4, y2: plotBottom, class: "gridline" }));
    grid.append(el("text", { x, y: plotBottom + 18, class: "tick", "text-anchor": "middle" }, compact.format(tick)));
  }
  grid.append(el("line", { x1: PLOT_LEFT, x2: PLOT_RIGHT, y1: plotBottom, y2: plotBottom, class: "axis" }));
  if (scale.log) {
    grid.append(el("text", { x: PLOT_RIGHT + 34, y: plotBottom + 18, class: "scale-note" }, "log scale"));
  }
  svg.append(grid);
  figures.forEach((figure, index) => {
    const y = TOP + index * ROW + ROW / 2;
    const colour = colours[figure.status] || colours.unreviewed;
    const row = el("a", { href: `/claims/${figure.claim}/`, class: `fig-row st-${figure.status}` });
    const title = el("title");
    title.textContent = `#${figure.claim} ${figure.text}`;
    row.append(title);
    row.append(el("rect", { x: 0, y: y - ROW / 2, width: WIDTH, height: ROW, class: index % 2 ? "band" : "band alt" }));
    row.append(el("text", { x: 6, y: y + 4, class: "date" }, day.format(new Date(figure.date))));
    const label = el("text", { x: DATE_WIDTH + 6, y: y + 4, class: "source" });
    const outlet = figure.outlet || "Unknown outlet";
    label.append(el("tspan", { class: "outlet" }, truncate(outlet, 22)));
    if (figure.speaker) {
      label.append(el("tspan", { class: "speaker" }, ` · ${truncate(figure.speaker, 42 - Math.min(outlet.length, 22))}`));
    }
    row.append(label);
    const xValue = scale.x(figure.value);
    let labelX = xValue;
    if (figure.high === null) {
      const end = PLOT_RIGHT + 6;
      row.append(el("line", {
        x1: scale.x(figure.low), x2: end, y1: y, y2: y, stroke: colour, "stroke-width": 3,
        "marker-end": `url(#arrow-${figure.status}-${container.dataset.plot})`, class: "open-bound",
      }));
      row.append(el("circle", { cx: scale.x(figure.low), cy: y, r: 5.5, fill: "#fff", stroke: colour, "stroke-width": 2.5 }));
      labelX = end;
    } else if (figure.high > figure.low) {
      const x1 = scale.x(figure.low);
      const x2 = scale.x(figure.high);
      row.append(el("rect", { x: x1, y: y - 4, width: Math.max(2, x2 - x1), height: 8, rx: 4, fill: colour, "fill-opacity": 0.35, stroke: colour }));
      row.append(el("circle", { cx: xValue, cy: y, r: 5, fill: colour }));
      labelX = Math.max(x2, xValue);
    } else {
      row.append(el("circle", { cx: xValue, cy: y, r: 6, fill: colour }));
    }
    row.append(el("text", { x: labelX + 10, y: y + 4, class: "value-label" }, truncate(figure.surface, 22)));
    svg.append(row);
  });
  container.replaceChildren(svg);
  container.dataset.scale = scale.log ? "log" : "linear";
  return { scale, formatted: figures.map((f) => number.format(f.value)) };
}
