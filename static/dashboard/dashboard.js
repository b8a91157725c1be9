// The dashboard's charts: verdicts per outlet and per speaker (Chart.js, vendored), and the figures in
// dispute (our own SVG strip plots). Data comes from the page's JSON data island.

import { drawFigureGroup } from "./figures.js";

const data = JSON.parse(document.getElementById("dashboard-data").textContent);
const css = getComputedStyle(document.documentElement);
const colour = (name, fallback) => css.getPropertyValue(name).trim() || fallback;

export const STATUS_COLOURS = {
  corroborated: colour("--st-corroborated-line", "#1d7a44"),
  disputed: colour("--st-disputed-line", "#b3261e"),
  unreliable: colour("--st-unreliable-line", "#a8550a"),
  unreviewed: colour("--st-awaiting-bar", "#d6d3cc"),
};
// Dots need a stronger colour for unreviewed claims than the bars' neutral grey.
const FIGURE_COLOURS = { ...STATUS_COLOURS, unreviewed: colour("--st-unreviewed-line", "#b58a00") };
const SERIES_LABELS = { unreviewed: "Awaiting verdict" };
const ROW_HEIGHT = 30;

function verdictChart(canvas, counts) {
  const box = canvas.parentElement;
  // CSSOM, not a style attribute: allowed by the CSP.
  box.style.height = `${Math.max(160, counts.labels.length * ROW_HEIGHT + 70)}px`;
  return new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: counts.labels,
      datasets: counts.series.map((series) => ({
        label: SERIES_LABELS[series.status] || series.label,
        data: series.counts,
        backgroundColor: STATUS_COLOURS[series.status],
        borderWidth: 0,
        barPercentage: 0.72,
        categoryPercentage: 0.9,
      })),
    },
    options: {
      indexAxis: "y",
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, grid: { color: "#eeece7" } },
        y: { stacked: true, grid: { display: false }, ticks: { autoSkip: false } },
      },
      plugins: {
        legend: { position: "top", align: "start", labels: { boxWidth: 12, boxHeight: 12 } },
        tooltip: { mode: "index", intersect: false },
      },
    },
  });
}

function start() {
  if (window.Chart) {
    window.Chart.defaults.font.family = css.getPropertyValue("--sans").trim() || "system-ui, sans-serif";
    window.Chart.defaults.color = colour("--ink-soft", "#55575c");
    for (const [key, counts] of Object.entries({ outlets: data.outlets, speakers: data.speakers })) {
      const canvas = document.getElementById(`chart-${key}`);
      if (canvas && counts.labels.length) verdictChart(canvas, counts);
    }
  }
  for (const element of document.querySelectorAll(".strip-plot[data-plot]")) {
    const group = data.figures[Number(element.dataset.plot)];
    if (group) drawFigureGroup(element, group, FIGURE_COLOURS);
  }
  document.body.dataset.dashboardReady = "1";
}

start();
