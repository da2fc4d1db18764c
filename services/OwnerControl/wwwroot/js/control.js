// Owner control: every parameter of the catalog with inline validation from the API's problems, pause/resume of the
// fabric and of each shard, taking a node offline (and draining it, once this build has the route), the owner log.

import { get, act, operationsById } from "./api.js";
import { h, fill, pill, num, json, dateTime, notice, describe } from "./dom.js";
import { shardState } from "./fleet.js";

const SLOW_REFRESH_MS = 4000;
let slowAt = 0;
let parameters = null;
let drain = null; // {method, path} of the drain route, when owner control has one
let undrain = null; // ... and of the route that resumes a drained node

export function init(ctx) {
  document.getElementById("fabric-actions").addEventListener("click", async (e) => {
    const action = e.target.closest("button")?.dataset.action;
    if (action === "pause-fabric" && confirm("Pause assignment on the whole fabric? Queued jobs wait; none is lost.")) {
      await run(() => act("POST", "/api/pause"), (r) => `Paused the whole fabric (parameter version ${r.version}).`, ctx);
    } else if (action === "resume-fabric") {
      await run(() => act("POST", "/api/resume"), (r) => `Resumed the whole fabric (parameter version ${r.version}).`, ctx);
    }
  });
  document.getElementById("parameter-filter").addEventListener("input", filterParameters);
}

export async function show(ctx) {
  const ops = await operationsById();
  drain = ops.DrainNode ?? null;
  undrain = ops.ResumeNode ?? null;
  slowAt = 0;
  await refresh(ctx);
}

export async function refresh(ctx) {
  if (!ctx.status) return;
  renderShards(ctx);
  renderNodes(ctx);
  if (Date.now() - slowAt >= SLOW_REFRESH_MS) {
    slowAt = Date.now();
    const [params, log] = await Promise.all([get("/api/parameters"), get("/api/owner-log?limit=100")]);
    renderParameters(params);
    renderLog(log);
  }
}

async function run(call, success, ctx) {
  try {
    const result = await call();
    notice(success(result));
    slowAt = 0;
    await ctx.refresh();
    return result;
  } catch (e) {
    notice(`That did not work: ${describe(e)}`, true);
    return null;
  }
}

function renderShards(ctx) {
  fill(document.querySelector("#shard-controls tbody"), ctx.status.shards.map((s) => {
    const paused = s.pausedByOwner;
    return h("tr", { dataset: { shard: s.id } },
      h("th", { scope: "row" }, s.label),
      h("td", {}, pill(shardState(s))),
      h("td", {}, h("button", {
        type: "button",
        "aria-label": `${paused ? "Resume" : "Pause"} ${s.label}`,
        onclick: () => paused
          ? run(() => act("POST", `/api/resume?shard=${encodeURIComponent(s.id)}`), (r) => `Resumed ${s.label} (parameter version ${r.version}).`, ctx)
          : run(() => act("POST", `/api/pause?shard=${encodeURIComponent(s.id)}`), (r) => `Paused ${s.label}: its queued jobs wait (parameter version ${r.version}).`, ctx),
      }, paused ? "Resume" : "Pause")));
  }));
}

function renderNodes(ctx) {
  fill(document.querySelector("#node-controls tbody"), ctx.status.nodes.map((n) =>
    h("tr", { dataset: { node: n.id } },
      h("th", { scope: "row" }, n.id, h("span", { class: "hint" }, ctx.labels[n.shard] ?? n.shard)),
      h("td", {}, pill(n.state)),
      h("td", {}, h("div", { class: "actions" },
        h("button", {
          type: "button", class: "danger", "aria-label": `Take ${n.id} offline`,
          onclick: () => {
            const ticks = Number(document.getElementById("offline-ticks").value);
            if (!confirm(`Take ${n.id} offline for ${ticks} ticks? It stops heartbeating and loses its running work, which its router re-queues.`)) return;
            run(() => act("POST", `/api/faults/nodes/${encodeURIComponent(n.id)}/offline`, { ticks: Number.isFinite(ticks) ? ticks : null }),
              () => `${n.id} is going offline for ${ticks} ticks; its router declares it offline after the grace period.`, ctx);
          },
        }, "Take offline"),
        drainButton(n, ctx))))));
}

/** Drain (confirmed: its running work is withdrawn at the deadline) or, for a node being drained, Resume. */
function drainButton(n, ctx) {
  const at = (op) => op.path.replace(/\{[^}]+\}/, encodeURIComponent(n.id));
  if (n.drain && n.drain !== "none") {
    return undrain ? h("button", {
      type: "button", "aria-label": `Resume ${n.id}`,
      onclick: () => run(() => act(undrain.method, at(undrain)), () => `${n.id} takes work again.`, ctx),
    }, "Resume") : null;
  }
  return drain ? h("button", {
    type: "button", "aria-label": `Drain ${n.id}`,
    onclick: () => {
      if (!confirm(`Drain ${n.id}? It gets no new work; its running jobs may finish until routers.drainDeadlineTicks, then they are re-queued elsewhere (no attempt charged).`)) return;
      run(() => act(drain.method, at(drain)),
        () => `${n.id} is draining: no new work; its running jobs finish, then it goes offline until you resume it.`, ctx);
    },
  }, "Drain") : null;
}

function rangeText(p) {
  switch (p.kind) {
    case "integer": return `integer, ${num(p.min)} to ${num(p.max)}`;
    case "number": return `number, ${num(p.min)} to ${num(p.max)}`;
    case "boolean": return "true or false";
    case "shardList": return `list of shards, ${p.min} to ${p.max} items`;
    case "capabilityList": return `list of capabilities, ${p.min} to ${p.max} items`;
    default: return p.kind;
  }
}

/** The typed text as JSON of the parameter's kind; anything that does not fit is sent as typed, and the API says why. */
export function valueFor(kind, text) {
  const t = text.trim();
  if (kind === "integer" || kind === "number") return /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(t) ? Number(t) : t;
  if (kind === "boolean") return t === "true" ? true : t === "false" ? false : t;
  if (kind.endsWith("List")) {
    if (t.startsWith("[")) { try { return JSON.parse(t); } catch { return t; } }
    return t === "" ? [] : t.split(",").map((x) => x.trim()).filter(Boolean);
  }
  return t;
}

function slug(path) {
  return path.replace(/[^A-Za-z0-9_-]/g, "_");
}

function renderParameters(view) {
  document.getElementById("parameters-version").textContent = view.version;
  const body = document.querySelector("#parameters-table tbody");
  const known = parameters && parameters.parameters.length === view.parameters.length;
  parameters = view;
  if (known) {
    for (const p of view.parameters) {
      const cell = body.querySelector(`tr[data-path="${CSS.escape(p.path)}"] .current`);
      if (cell) cell.textContent = json(p.value);
    }
    return;
  }
  fill(body, view.parameters.map((p) => {
    const id = `param-${slug(p.path)}`;
    const input = h("input", { id, name: "value", type: "text", autocomplete: "off", "aria-describedby": `${id}-msg` });
    const message = h("span", { id: `${id}-msg`, class: "param-msg", role: "status" });
    const form = h("form", { class: "inline", "aria-label": `Change ${p.path}` },
      h("label", { for: id, class: "visually-hidden" }, `New value for ${p.path}`),
      input, h("button", { type: "submit" }, "Change"), message);
    form.addEventListener("submit", (e) => { e.preventDefault(); change(p, input, message); });
    return h("tr", { dataset: { path: p.path } },
      h("th", { scope: "row" }, h("code", {}, p.path), h("span", { class: "hint" }, `${p.description} Applied by ${p.appliedBy.join(", ") || "owner control"}.`)),
      h("td", {}, rangeText(p)),
      h("td", { class: "current" }, json(p.value)),
      h("td", {}, form));
  }));
  filterParameters();
}

async function change(p, input, message) {
  message.className = "param-msg";
  message.textContent = "Changing…";
  input.removeAttribute("aria-invalid");
  try {
    const r = await act("PUT", `/api/parameters/${encodeURIComponent(p.path)}`, { value: valueFor(p.kind, input.value) });
    message.className = "param-msg param-ok";
    message.textContent = `Changed from ${json(r.before)} to ${json(r.after)} (version ${r.version}${r.published ? "" : "; the broadcast is being repeated until every service has it"}).`;
    input.value = "";
    slowAt = 0;
    notice(`${p.path}: ${json(r.before)} → ${json(r.after)} (version ${r.version}).`);
    const [params, log] = await Promise.all([get("/api/parameters"), get("/api/owner-log?limit=100")]);
    renderParameters(params);
    renderLog(log);
  } catch (e) {
    message.className = "param-msg param-error";
    const why = describe(e);
    message.textContent = `${why}${/[.!?]$/.test(why) ? "" : "."} Nothing was changed.`;
    input.setAttribute("aria-invalid", "true");
    input.focus();
  }
}

function filterParameters() {
  const q = document.getElementById("parameter-filter").value.trim().toLowerCase();
  for (const row of document.querySelectorAll("#parameters-table tbody tr")) {
    row.hidden = q !== "" && !row.textContent.toLowerCase().includes(q);
  }
}

function renderLog(log) {
  const entries = [...log.entries].reverse();
  fill(document.querySelector("#owner-log tbody"), entries.length === 0
    ? h("tr", {}, h("td", { colspan: 6, class: "muted" }, "No owner change yet."))
    : entries.map((e) => h("tr", {},
      h("td", { class: "num" }, e.version),
      h("td", {}, dateTime(e.atMs)),
      h("td", {}, e.actor),
      h("td", {}, h("code", {}, e.path)),
      h("td", {}, json(e.before)),
      h("td", {}, json(e.after)))));
}
