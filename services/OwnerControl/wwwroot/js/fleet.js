// Fleet at a glance: shards, nodes, spillover links, and charts of queue depth and throughput over the last minutes.

import { get } from "./api.js";
import { h, fill, pill, num, time } from "./dom.js";
import { lineChart, historySeries } from "./chart.js";

const CHART_EVERY_MS = 5000;
let chartsAt = 0;

/** A shard's state in words: silent (not reporting), paused (its router says so) or running. */
export function shardState(s) {
  return !s.reporting ? "silent" : s.paused ? "paused" : "running";
}

/** A node's success rate from its agent's own counts ("—" before it has finished anything). */
export function successRate(n) {
  const a = n.agent;
  const done = a ? a.succeeded + a.failed : 0;
  return done === 0 ? "—" : `${((100 * a.succeeded) / done).toFixed(1)}%`;
}

export function show(ctx) {
  chartsAt = 0;
  return refresh(ctx);
}

export async function refresh(ctx) {
  const { status, topology } = ctx;
  if (!status) return;
  document.getElementById("fleet-updated").textContent = `Last update ${time(status.atMs)}.`;
  const p = status.parameters;
  const dead = status.deadLetters;
  fill(document.getElementById("fleet-summary"),
    card("Fabric", status.paused ? "paused" : "running"),
    card("Parameters", `version ${p.version}`, p.converged ? "applied by every service" : `not yet applied by ${p.services.filter((x) => !x.converged).map((x) => x.service).join(", ")}`),
    card("Shards reporting", `${status.shards.filter((s) => s.reporting).length} of ${status.shards.length}`),
    card("Nodes online", `${status.nodes.filter((n) => n.state === "online").length} of ${status.nodes.length}`),
    card("Dead letters", dead.available ? num(dead.total) : "unknown", dead.available ? "" : dead.problem));

  fill(document.querySelector("#shards-table tbody"), status.shards.map((s) =>
    h("tr", { dataset: { shard: s.id } },
      h("th", { scope: "row" }, s.label, h("span", { class: "hint" }, s.id)),
      h("td", {}, pill(shardState(s))),
      h("td", { class: "num" }, num(s.queued)),
      h("td", { class: "num" }, num(s.running)),
      h("td", { class: "num" }, num(s.inTransfer)),
      h("td", { class: "num" }, num(s.completed)),
      h("td", { class: "num" }, num(s.failed)),
      h("td", {}, s.pausedByOwner ? "yes" : "no"))));

  fill(document.querySelector("#nodes-table tbody"), status.nodes.map((n) =>
    h("tr", { dataset: { node: n.id } },
      h("th", { scope: "row" }, n.id),
      h("td", {}, ctx.labels[n.shard] ?? n.shard),
      h("td", {}, pill(n.state)),
      h("td", { class: "num" }, `${num(n.runningByRouter ?? n.agent?.running)} / ${n.slots}`),
      h("td", { class: "num" }, successRate(n)))));

  if (topology) {
    fill(document.getElementById("spillover-links"), topology.shards.map((s) =>
      h("li", { dataset: { shard: s.id } },
        h("strong", {}, s.label), s.spilloverTargets.length
          ? ` spills to ${s.spilloverTargets.map((t) => ctx.labels[t] ?? t).join(", ")} when its queue passes ${num(s.spilloverThreshold)}`
          : " spills nowhere")));
  }

  if (Date.now() - chartsAt >= CHART_EVERY_MS) {
    chartsAt = Date.now();
    const history = await get("/api/status/history?points=200");
    lineChart(document.querySelector("#queue-chart .plot"), historySeries(history, "queued", ctx.labels), { unit: "queue depth" });
    lineChart(document.querySelector("#throughput-chart .plot"), historySeries(history, "finishedPerSecond", ctx.labels), { unit: "jobs per second" });
  }
}

function card(label, value, hint) {
  return h("div", { class: "card" }, h("div", { class: "label" }, label), h("div", { class: "value" }, value), hint ? h("div", { class: "muted" }, hint) : null);
}
