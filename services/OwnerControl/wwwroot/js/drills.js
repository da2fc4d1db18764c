// Drills: start one (jobs per shard, seed, fault plan), watch its progress, read its report.

import { get, act } from "./api.js";
import { h, fill, pill, num, time, dateTime, describe } from "./dom.js";
import { lineChart, historySeries } from "./chart.js";
import { valueFor } from "./control.js";

const POLL_MS = 2000;
let shown = null;      // id of the drill on screen
let pollTimer = null;
let reported = null;   // id whose report is on screen

export function init(ctx) {
  const form = document.getElementById("drill-form");
  form.addEventListener("submit", (e) => { e.preventDefault(); start(ctx); });
  document.getElementById("drill-list").addEventListener("change", (e) => {
    if (e.target.value) location.hash = `#drills/${encodeURIComponent(e.target.value)}`;
  });
}

export async function show(ctx, id) {
  fillFaultChoices(ctx);
  const list = await get("/api/drills");
  renderList(list.drills, id);
  const target = id ?? list.drills.at(-1)?.id ?? null;
  if (target !== shown) { reported = null; }
  shown = target;
  clearTimeout(pollTimer);
  if (target) await follow(ctx, target);
  else { document.getElementById("drill-progress").hidden = true; document.getElementById("drill-report").hidden = true; }
}

function fillFaultChoices(ctx) {
  const nodes = document.getElementById("drill-outage-node");
  const shards = document.getElementById("drill-crash-shard");
  if (ctx.status && nodes.options.length === 1) {
    for (const n of ctx.status.nodes) nodes.append(h("option", { value: n.id }, n.id));
    for (const s of ctx.status.shards) shards.append(h("option", { value: s.id }, s.label));
  }
}

function renderList(drills, selected) {
  const select = document.getElementById("drill-list");
  fill(select, h("option", { value: "" }, drills.length ? "choose a drill" : "no drill yet"),
    [...drills].reverse().map((d) => h("option", { value: d.id, selected: d.id === selected }, `${d.id} — ${d.state}, started ${time(d.startedAtMs)} by ${d.actor}`)));
}

async function start(ctx) {
  const error = document.getElementById("drill-form-error");
  error.hidden = true;
  const f = new FormData(document.getElementById("drill-form"));
  const seedText = String(f.get("seed") ?? "").trim();
  const seed = /^\d+$/.test(seedText) && Number.isSafeInteger(Number(seedText)) ? Number(seedText) : seedText;
  const body = {
    jobsPerShard: valueFor("integer", String(f.get("jobsPerShard") ?? "")),
    seed: seedText === "" ? null : seed,
    demand: f.get("demand"),
    faults: {
      nodeOutage: f.get("nodeOutage") === "on",
      outageNode: f.get("outageNode") || null,
      routerCrash: f.get("routerCrash") === "on",
      crashShard: f.get("crashShard") || null,
      ownerChange: f.get("ownerChange") === "on",
    },
  };
  try {
    const drill = await act("POST", "/api/drills", body);
    location.hash = `#drills/${encodeURIComponent(drill.id)}`;
  } catch (e) {
    error.textContent = `The drill did not start: ${describe(e)}`;
    error.hidden = false;
    error.focus?.();
  }
}

async function follow(ctx, id) {
  let drill;
  try {
    drill = await get(`/api/drills/${encodeURIComponent(id)}`);
  } catch (e) {
    fill(document.getElementById("drill-progress"), h("p", { class: "error" }, `Could not read drill ${id}: ${describe(e)}`));
    document.getElementById("drill-progress").hidden = false;
    return;
  }
  if (shown !== id || ctx.view !== "drills") return;
  renderProgress(drill);
  if (drill.state === "running" || drill.state === "settling") {
    document.getElementById("drill-report").hidden = true;
    pollTimer = setTimeout(() => follow(ctx, id), POLL_MS);
  } else if (reported !== id) {
    reported = id;
    renderList((await get("/api/drills")).drills, id);
    if (drill.state === "completed") await renderReport(ctx, id);
  }
}

function renderProgress(d) {
  const el = document.getElementById("drill-progress");
  el.hidden = false;
  const total = d.jobsPerShard * Object.keys(d.shards).length;
  fill(el,
    h("h3", {}, "Drill ", h("code", {}, d.id), " ", pill(d.state)),
    h("p", {}, `Started ${dateTime(d.startedAtMs)} by ${d.actor}; ${num(d.jobsPerShard)} jobs per shard, seed ${d.seed}. `,
      `Accepted ${num(d.accepted)} of ${num(total)}, finished ${num(d.finished)}.`,
      d.finishedAtMs ? ` Ended ${time(d.finishedAtMs)}.` : ""),
    d.error ? h("p", { class: "error", role: "alert" }, `The drill failed: ${d.error}`) : null,
    h("table", { id: "drill-shards" },
      h("caption", {}, "Progress per shard"),
      h("thead", {}, h("tr", {}, ["Shard", "Finished", "Submitted", "Accepted", "Queued now"].map((c, i) => h("th", { scope: "col", class: i ? "num" : null }, c)))),
      h("tbody", {}, Object.entries(d.shards).map(([shard, s]) => h("tr", {},
        h("th", { scope: "row" }, shard),
        h("td", { class: "num" }, h("progress", { max: d.jobsPerShard, value: s.finished, "aria-label": `${shard}: ${s.finished} of ${d.jobsPerShard} finished` }), ` ${num(s.finished)}`),
        h("td", { class: "num" }, num(s.submitted)),
        h("td", { class: "num" }, num(s.accepted)),
        h("td", { class: "num" }, num(s.queued)))))),
    h("h4", {}, "What happened"),
    h("ol", { class: "events" }, d.events.map((e) => h("li", {}, e))));
}

async function renderReport(ctx, id) {
  const el = document.getElementById("drill-report");
  let r;
  try {
    r = await get(`/api/drills/${encodeURIComponent(id)}/report`);
  } catch (e) {
    fill(el, h("p", { class: "error", role: "alert" }, `The report could not be read: ${describe(e)}`));
    el.hidden = false;
    return;
  }
  const s = r.summary;
  const failed = r.checks.filter((c) => !c.passed);
  const live = s.live;
  fill(el,
    h("h3", { id: "report-title" }, "Report"),
    h("p", { class: `verdict ${r.passed ? "ok" : "error"}` }, r.passed ? "Every acceptance check holds." : `${failed.length} acceptance check(s) failed.`),
    h("table", { id: "report-summary" },
      h("caption", {}, "Summary"),
      h("tbody", {}, [
        ["Jobs submitted", num(s.jobsSubmitted)],
        ["Completed", num(s.jobsCompleted)],
        ["Failed", num(s.jobsFailed)],
        ["Cancelled", num(s.jobsCancelled)],
        ["Lost", num(s.jobsLost)],
        ["Failed-assignment rate", `${(s.failedAssignmentRate * 100).toFixed(2)}% (${num(s.attemptsFailed)} of ${num(s.assignments)} attempts)`],
        ["Spillovers", `${num(s.spillovers)} moves, ${num(s.jobsSpilled)} jobs; ${num(s.jobsForwarded)} forwarded`],
        ["Checkpoints", num(s.checkpoints)],
        ["Resumed from checkpoint", s.resumedFromCheckpoint ? "yes" : "no"],
        ["Queue skew", `peak ${s.queueSkew.peak}, p95 ${s.queueSkew.p95}, final ${s.queueSkew.final}`],
        ["Owner interventions", num(s.ownerInterventions)],
        live ? ["Wall time", `${(live.wallTimeMs / 1000).toFixed(1)} s`] : null,
        live ? ["Throughput", `${live.throughputJobsPerSecond} jobs/s`] : null,
        live ? ["Submit to complete", `p50 ${Math.round(live.submitToCompleteMs.p50)} ms, p95 ${Math.round(live.submitToCompleteMs.p95)} ms, p99 ${Math.round(live.submitToCompleteMs.p99)} ms`] : null,
        live?.restartedRouter ? ["Router restart", `${live.restartedRouter} was back ${num(live.routerDownMs)} ms after the kill`] : null,
        s.ceiling ? ["Slot ceiling", `${(s.ceiling.ms / 1000).toFixed(1)} s (${num(s.ceiling.ticks)} ticks): ${s.ceiling.boundBy}`] : null,
        s.ceiling ? ["Utilisation", s.ceiling.utilisation === null ? "not measured: the jobs take no time" : `${Math.round(s.ceiling.utilisation * 100)}% of the ceiling (ran ${(s.ceiling.elapsedMs / 1000).toFixed(1)} s)`] : null,
        ["Seed and size", `seed ${s.seed}, ${num(s.jobsPerShard)} jobs per shard, ${num(s.durationTicks)} ticks, mode ${s.mode}`],
      ].filter(Boolean).map(([k, v]) => h("tr", {}, h("th", { scope: "row" }, k), h("td", {}, v))))),
    h("table", { id: "report-checks" },
      h("caption", {}, "Acceptance checks"),
      h("thead", {}, h("tr", {}, ["Check", "Requirement", "Measured", "Verdict"].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, r.checks.map((c) => h("tr", { dataset: { passed: c.passed } },
        h("th", { scope: "row" }, c.name),
        h("td", {}, c.requirement),
        h("td", {}, c.figure, c.failure ? h("span", { class: "hint" }, c.failure) : null),
        h("td", {}, pill(c.passed ? "passed" : "failed")))))),
    h("h4", {}, "The owner's change and its effect"),
    h("p", { id: "report-owner-change" }, s.ownerChange
      ? `${s.ownerChange.path} was changed from ${s.ownerChange.before} to ${s.ownerChange.after} at tick ${s.ownerChange.atTick}: the largest spill move was ${s.ownerChange.largestMoveBefore} jobs before and ${s.ownerChange.largestMoveAfter} after.`
      : "The owner changed nothing during this drill."),
    h("h4", {}, "Faults injected"),
    h("ul", {}, s.faults.map((f) => h("li", {}, f))),
    h("figure", { id: "report-queue-chart", class: "chart" }, h("figcaption", {}, "Queue depth per shard over the drill"), h("div", { class: "plot" })),
    r.nodes ? nodeTable(r.nodes) : h("p", { class: "error" }, `Per-node statistics are not available: ${r.nodesProblem}`),
    shardTable(s.shards, ctx),
    r.reportDirectory ? h("p", { class: "muted" }, "The report bundle is in ", h("code", {}, r.reportDirectory), " (summary.json, owner-log.json, checkpoints.json, nodes.json, topology.mmd, events.ndjson).") : null);
  el.hidden = false;

  const plot = el.querySelector("#report-queue-chart .plot");
  try {
    const until = r.finishedAtMs ?? Date.now();
    const history = await get(`/api/status/history?sinceMs=${r.startedAtMs}&untilMs=${until}&points=300`);
    lineChart(plot, historySeries(history, "queued", ctx.labels), { unit: "queue depth", empty: "Owner control no longer keeps samples of this drill's time." });
    if (history.oldestMs && history.oldestMs > r.startedAtMs) {
      plot.append(h("p", { class: "muted" }, `Samples before ${time(history.oldestMs)} are no longer kept (owner control keeps ${history.retentionMs / 60000} minutes).`));
    }
  } catch (e) {
    fill(plot, h("p", { class: "error" }, `The queue history could not be read: ${describe(e)}`));
  }
}

function nodeTable(nodes) {
  const cols = ["Node", "Shard", "Slots", "Reliability", "Started", "Succeeded", "Failed", "Rejected", "Lost to outage", "Outages", "Completed (books)", "Utilisation"];
  return h("table", { id: "report-nodes" },
    h("caption", {}, "Per-node statistics"),
    h("thead", {}, h("tr", {}, cols.map((c, i) => h("th", { scope: "col", class: i > 1 ? "num" : null }, c)))),
    h("tbody", {}, nodes.map((n) => h("tr", {},
      h("th", { scope: "row" }, n.nodeId), h("td", {}, n.shardId),
      [n.concurrency, `${(n.reliability * 100).toFixed(1)}%`, n.started, n.succeeded, n.failed, n.rejected, n.lostToOutage, n.outages, n.completedInBooks, `${Math.round(n.utilisation * 100)}%`]
        .map((v) => h("td", { class: "num" }, typeof v === "number" ? num(v) : v))))));
}

function shardTable(shards, ctx) {
  const cols = ["Shard", "Submitted", "Arrived by transfer", "Completed", "Failed", "Spilled out", "Forwarded", "Peak queue", "Router restarts"];
  return h("table", { id: "report-shards" },
    h("caption", {}, "Per-shard figures"),
    h("thead", {}, h("tr", {}, cols.map((c, i) => h("th", { scope: "col", class: i ? "num" : null }, c)))),
    h("tbody", {}, shards.map((s) => h("tr", {},
      h("th", { scope: "row" }, ctx.labels[s.shardId] ?? s.shardId),
      [s.submitted, s.arrivedByTransfer, s.completed, s.failed, s.spilledOut, s.forwardedOut, s.peakQueue, s.recoveries].map((v) => h("td", { class: "num" }, num(v)))))));
}
