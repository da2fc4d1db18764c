// Jobs: find one by id (where it is, attempts, timeline, outcome, its trace in the Aspire dashboard) and cancel it;
// list them by state, shard and template; the failed inbox, with requeue of one or all (operationIds ListJobs, RequeueJobs).

import { get, act, operationsById } from "./api.js";
import { h, fill, pill, num, dateTime, notice, describe } from "./dom.js";

let current = null;
let follow = null;

export function init(ctx) {
  document.getElementById("job-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const id = document.getElementById("job-id").value.trim();
    if (id) location.hash = `#jobs/${encodeURIComponent(id)}`;
  });
}

export async function show(ctx, id) {
  const ops = await operationsById();
  renderListPanel(ctx, ops);
  if (id) {
    document.getElementById("job-id").value = id;
    await find(ctx, id);
  }
}

async function find(ctx, id) {
  const error = document.getElementById("job-error");
  const view = document.getElementById("job-view");
  error.hidden = true;
  try {
    const job = await get(`/api/jobs/${encodeURIComponent(id)}`);
    current = job.id;
    render(ctx, job);
  } catch (e) {
    view.hidden = true;
    error.textContent = `${describe(e)}${e.status === 404 ? " Check the id (it is case-sensitive)." : ""}`;
    error.hidden = false;
  }
}

function traceLink(ctx, job) {
  const parent = job.outcome?.traceParent;
  const traceId = parent?.split("-")[1];
  if (!traceId) return h("span", { class: "muted" }, "No trace was recorded for this job (jobs submitted by a drill are traced at the sampling ratio).");
  if (!ctx.info?.traceUrlTemplate) return h("span", {}, "Trace id ", h("code", {}, traceId), " (no Aspire dashboard is known to owner control).");
  return h("a", { href: ctx.info.traceUrlTemplate.replace("{traceId}", traceId), target: "_blank", rel: "noopener", id: "job-trace" }, "Open its trace in the Aspire dashboard");
}

function render(ctx, job) {
  const view = document.getElementById("job-view");
  const finished = ["completed", "failed", "cancelled"].includes(job.status);
  const o = job.outcome;
  fill(view,
    h("h3", {}, "Job ", h("code", {}, job.id), " ", pill(job.status)),
    h("dl", { class: "cards", id: "job-facts" },
      fact("Where", job.node ? `${ctx.labels[job.shard] ?? job.shard} / ${job.node}` : ctx.labels[job.shard] ?? job.shard ?? "—"),
      fact("Attempts", num(job.attempts)),
      fact("Outcome", o ? `${o.kind}${o.reason ? `: ${o.reason}` : ""}` : "not finished"),
      o ? fact("Template", o.template) : null,
      o ? fact("Hops between shards", num(o.hops)) : null),
    h("p", {}, traceLink(ctx, job)),
    finished ? null : h("div", { class: "actions" }, h("button", {
      type: "button", class: "danger", id: "job-cancel",
      onclick: async () => {
        if (!confirm(`Cancel job ${job.id}? If it finishes first, the cancellation has no effect.`)) return;
        try {
          const r = await act("POST", `/api/jobs/${encodeURIComponent(job.id)}/cancel`);
          notice(`Asked ${r.shard} to cancel ${r.jobId}; the timeline shows when it takes effect.`);
        } catch (e) {
          notice(`The cancellation was not sent: ${describe(e)}`, true);
        }
      },
    }, "Cancel this job")),
    h("table", { id: "job-timeline" },
      h("caption", {}, "Timeline"),
      h("thead", {}, h("tr", {}, ["When", "Tick", "Event", "Shard", "Node", "Attempt", "Detail"].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, job.timeline.map((e) => h("tr", {},
        h("td", {}, dateTime(e.atMs)), h("td", { class: "num" }, num(e.tick)), h("td", {}, e.event),
        h("td", {}, e.shard ?? "—"), h("td", {}, e.node ?? "—"), h("td", { class: "num" }, num(e.attempt)), h("td", {}, e.detail ?? ""))))));
  view.hidden = false;
  if (!finished) {
    // Live while it is unfinished: where it is now, and when a cancellation takes effect.
    clearTimeout(follow);
    follow = setTimeout(() => current === job.id && ctx.view === "jobs" && find(ctx, job.id), 2000);
  }
}

function fact(label, value) {
  return h("div", { class: "card" }, h("dt", { class: "label" }, label), h("dd", { class: "value", style: "margin:0" }, value));
}

/**
 * The job list and the failed inbox, wired to GET {ListJobs}?state=&shard=&template=&cursor= (answer:
 * {jobs: [{id, status, shard, template, sinceMs, attempts, node, reason}], nextCursor}) and POST {RequeueJobs}
 * ({ids} or {state: "failed", shard, template, dryRun}). Hidden until those routes exist.
 */
function renderListPanel(ctx, ops) {
  const panel = document.getElementById("job-list-panel");
  const list = ops.ListJobs;
  if (!list || panel.dataset.ready) { panel.hidden = !list; return; }
  panel.dataset.ready = "1";
  const requeue = ops.RequeueJobs;
  const shards = ctx.status?.shards ?? [];
  const form = h("form", { class: "inline panel", id: "job-list-form" },
    h("label", { for: "list-state" }, "State"),
    h("select", { id: "list-state", name: "state" }, ["", "queued", "running", "moving", "completed", "failed", "cancelled", "rejected"].map((s) => h("option", { value: s }, s || "any"))),
    h("label", { for: "list-shard" }, "Shard"),
    h("select", { id: "list-shard", name: "shard" }, h("option", { value: "" }, "any"), shards.map((s) => h("option", { value: s.id }, s.label))),
    h("label", { for: "list-template" }, "Template"),
    h("input", { id: "list-template", name: "template", type: "text", autocomplete: "off", spellcheck: "false" }),
    h("button", { type: "submit" }, "List jobs"),
    h("button", { type: "button", id: "failed-inbox", onclick: () => { form.elements.state.value = "failed"; load(false); } }, "Failed inbox"));
  const results = h("div", { id: "job-list", "aria-live": "polite" });
  let cursor = null;
  let shown = [];
  const filter = () => Object.fromEntries([...new FormData(form).entries()].filter(([, v]) => v));
  const load = async (more) => {
    const f = filter();
    const q = new URLSearchParams(f);
    if (more && cursor) q.set("cursor", cursor);
    try {
      const page = await get(`${list.path}?${q}`);
      cursor = page.nextCursor ?? null;
      shown = more ? shown.concat(page.jobs) : page.jobs;
      const rows = page.jobs.map((j) => h("tr", {},
        h("th", { scope: "row" }, h("a", { href: `#jobs/${encodeURIComponent(j.id)}` }, j.id)),
        h("td", {}, pill(j.status)), h("td", {}, j.shard), h("td", {}, j.template), h("td", {}, dateTime(j.sinceMs)),
        h("td", { class: "num" }, num(j.attempts)), h("td", {}, j.reason ?? ""),
        h("td", {}, requeue && j.status === "failed" ? h("button", { type: "button", "aria-label": `Requeue ${j.id}`, onclick: () => requeueIds(requeue, [j.id], () => load(false)) }, "Requeue") : null)));
      if (more) results.querySelector("#job-list-table tbody").append(...rows);
      else fill(results, h("table", { id: "job-list-table" }, h("caption", {}, f.state === "failed" ? "Failed inbox: jobs that used up their attempts, newest first" : "Jobs, newest first"),
        h("thead", {}, h("tr", {}, ["Job", "State", "Shard", "Template", "Since", "Attempts", "Reason", ""].map((c) => h("th", { scope: "col" }, c)))), h("tbody", {}, rows)));
      for (const old of results.querySelectorAll("#job-list-more, #job-list-empty, #job-reasons, #job-requeue-all")) old.remove();
      if (shown.length === 0) results.append(h("p", { id: "job-list-empty" }, "No jobs match."));
      if (cursor) results.append(h("button", { type: "button", id: "job-list-more", onclick: () => load(true) }, "Next page"));
      if (f.state === "failed" && shown.length > 0) {
        results.append(reasons(shown));
        if (requeue) results.append(h("button", { type: "button", id: "job-requeue-all", onclick: () => requeueAll(requeue, f, () => load(false)) }, "Requeue every failed job that matches"));
      }
    } catch (e) {
      fill(results, h("p", { class: "error", role: "alert" }, describe(e)));
    }
  };
  form.addEventListener("submit", (e) => { e.preventDefault(); load(false); });
  fill(panel, h("h3", {}, "Find jobs"), form, results);
  panel.hidden = false;
}

/** The failed jobs shown, grouped by reason (the attempt count stripped, so one cause is one line). */
function reasons(jobs) {
  const counts = new Map();
  for (const j of jobs) {
    const reason = (j.reason ?? "no reason recorded").replace(/\s*\(attempt \d+ of \d+\)$/, "");
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  const rows = [...counts].sort((a, b) => b[1] - a[1]).map(([reason, n]) => h("tr", {}, h("td", {}, reason), h("td", { class: "num" }, num(n))));
  return h("table", { id: "job-reasons" }, h("caption", {}, "Why they failed (the jobs listed above)"),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Reason"), h("th", { scope: "col" }, "Jobs"))), h("tbody", {}, rows));
}

async function requeueIds(op, ids, then) {
  try {
    const r = await act(op.method, op.path, { ids });
    notice(`Requeued ${r.count} job(s).${r.notRequeued?.length ? ` Not requeued: ${r.notRequeued.map((n) => `${n.id} (${n.reason})`).join("; ")}.` : ""}`, r.count === 0);
    then();
  } catch (e) {
    notice(`Nothing was requeued: ${describe(e)}`, true);
  }
}

async function requeueAll(op, f, then) {
  const body = { state: "failed", shard: f.shard || null, template: f.template || null };
  try {
    const dry = await act(op.method, op.path, { ...body, dryRun: true });
    if (!confirm(`Requeue ${dry.count} failed job(s)? Each goes back in the queue of the shard it failed on, with a fresh allowance of attempts.`)) return;
    const r = await act(op.method, op.path, body);
    notice(`Requeued ${r.count} job(s).`);
    then();
  } catch (e) {
    notice(`Nothing was requeued: ${describe(e)}`, true);
  }
}
