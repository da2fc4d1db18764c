// A small SVG line chart: one line per series over time, axes with a few ticks, a legend, and a text summary for
// screen readers (the latest value of every series).

import { h, fill } from "./dom.js";

const SVG = "http://www.w3.org/2000/svg";
const COLOURS = ["#0550ae", "#bc4c00", "#1a7f37", "#8250df", "#cf222e", "#116329", "#953800", "#6e7781"];

function s(tag, attrs = {}, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/**
 * Draws into `plot` (a div): series = [{ name, points: [[timeMs, value|null], …] }]. Null values are gaps.
 * `unit` names the values for the summary ("jobs queued").
 */
export function lineChart(plot, series, { unit = "", empty = "No samples yet." } = {}) {
  const all = series.flatMap((x) => x.points).filter(([, v]) => v !== null && v !== undefined);
  if (all.length === 0) {
    fill(plot, h("p", { class: "muted" }, empty));
    return;
  }
  const width = 640, height = 220, left = 46, right = 10, top = 10, bottom = 24;
  const t0 = Math.min(...all.map(([t]) => t)), t1 = Math.max(...all.map(([t]) => t), t0 + 1);
  const vMax = niceMax(Math.max(...all.map(([, v]) => v), 4));
  const x = (t) => left + ((t - t0) / (t1 - t0)) * (width - left - right);
  const y = (v) => top + (1 - v / vMax) * (height - top - bottom);

  const svg = s("svg", { viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: "none", "aria-hidden": "true" });
  for (let i = 0; i <= 5; i++) {
    const v = (vMax * i) / 5;
    svg.append(s("line", { class: "grid-line", x1: left, x2: width - right, y1: y(v), y2: y(v) }));
    svg.append(s("text", { x: left - 6, y: y(v) + 4, "text-anchor": "end" }, formatValue(v)));
  }
  for (let i = 0; i <= 4; i++) {
    const t = t0 + ((t1 - t0) * i) / 4;
    svg.append(s("text", { x: x(t), y: height - 6, "text-anchor": i === 0 ? "start" : i === 4 ? "end" : "middle" },
      new Date(t).toLocaleTimeString("en-GB", { hour12: false })));
  }
  svg.append(s("line", { class: "axis", x1: left, x2: left, y1: top, y2: height - bottom }));
  svg.append(s("line", { class: "axis", x1: left, x2: width - right, y1: height - bottom, y2: height - bottom }));

  series.forEach((serie, i) => {
    let d = "", pen = false;
    for (const [t, v] of serie.points) {
      if (v === null || v === undefined) { pen = false; continue; }
      d += `${pen ? "L" : "M"}${x(t).toFixed(1)},${y(v).toFixed(1)} `;
      pen = true;
    }
    if (d) svg.append(s("path", { class: "series", d, stroke: COLOURS[i % COLOURS.length] }));
  });

  const latest = series.map((serie) => {
    const last = [...serie.points].reverse().find(([, v]) => v !== null && v !== undefined);
    return `${serie.name} ${last ? formatValue(last[1]) : "no data"}`;
  });
  fill(plot,
    svg,
    h("div", { class: "legend" }, series.map((serie, i) =>
      h("span", {}, h("span", { class: "swatch", style: `background:${COLOURS[i % COLOURS.length]}` }), serie.name))),
    h("p", { class: "muted chart-summary" }, `Latest ${unit}: ${latest.join(", ")}. ${all.length} samples from ${new Date(t0).toLocaleTimeString("en-GB", { hour12: false })} to ${new Date(t1).toLocaleTimeString("en-GB", { hour12: false })}.`));
}

function niceMax(v) {
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  const m = v / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

function formatValue(v) {
  return v >= 100 || Number.isInteger(v) ? Math.round(v).toLocaleString("en-US") : v.toFixed(1);
}

/** The history API's points as chart series: one per shard, from `field` ("queued" or "finishedPerSecond"). */
export function historySeries(history, field, labels = {}) {
  return history.shards.map((shard, i) => ({
    name: labels[shard] ?? shard,
    points: history.points.map((p) => [p.atMs, p[field][i]]),
  }));
}
