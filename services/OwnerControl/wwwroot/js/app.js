// The console's shell: views by URL hash (#fleet, #control, #drills[/id], #jobs[/id]), the live status poll, and the
// header (fabric state, the owner-token button).

import { get, hasToken, forgetToken, UnreachableError } from "./api.js";
import { describe, notice } from "./dom.js";
import * as fleet from "./fleet.js";
import * as control from "./control.js";
import * as drills from "./drills.js";
import * as jobs from "./jobs.js";

const views = { fleet, control, drills, jobs };
const POLL_MS = 2000;

/** What every view reads: the latest status and topology, the console's info. */
export const ctx = {
  status: null,
  topology: null,
  info: null,
  view: null,
  labels: {},
  /** Re-reads status and topology now (after an action) and redraws the current view. */
  refresh: () => poll(true),
};

async function poll(once = false) {
  try {
    const [status, topology] = await Promise.all([get("/api/status"), get("/api/topology")]);
    ctx.status = status;
    ctx.topology = topology;
    ctx.labels = Object.fromEntries(status.shards.map((s) => [s.id, s.label]));
    document.getElementById("connection").hidden = true;
    header();
    await views[ctx.view]?.refresh?.(ctx);
  } catch (e) {
    const banner = document.getElementById("connection");
    banner.textContent = e instanceof UnreachableError ? e.message : `Reading the fleet's status failed: ${describe(e)}`;
    banner.hidden = false;
  }
  if (!once) setTimeout(poll, POLL_MS);
}

function header() {
  const state = document.getElementById("fabric-state");
  const paused = ctx.status.paused;
  state.textContent = paused ? "Fabric paused" : "Fabric running";
  state.className = `pill ${paused ? "paused" : "running"}`;
  document.getElementById("forget-token").hidden = !hasToken();
}

function route() {
  const [name, ...rest] = (location.hash.replace(/^#/, "") || "fleet").split("/");
  const view = views[name] ? name : "fleet";
  const arg = rest.length ? decodeURIComponent(rest.join("/")) : null;
  const changed = ctx.view !== view;
  ctx.view = view;
  for (const section of document.querySelectorAll("main > section")) section.hidden = section.dataset.view !== view;
  for (const link of document.querySelectorAll("nav a")) {
    if (link.dataset.view === view) link.setAttribute("aria-current", "page"); else link.removeAttribute("aria-current");
  }
  document.title = `${document.querySelector(`nav a[data-view="${view}"]`).textContent} — Owner console`;
  Promise.resolve(views[view].show?.(ctx, arg)).catch((e) => notice(describe(e), true));
  if (changed) document.querySelector(`#view-${view} h2`)?.focus();
}

async function start() {
  for (const view of Object.values(views)) view.init?.(ctx);
  document.getElementById("forget-token").addEventListener("click", () => { forgetToken(); notice("The owner token is forgotten; the next change asks for it again."); });
  document.addEventListener("token-changed", () => { document.getElementById("forget-token").hidden = !hasToken(); });
  window.addEventListener("hashchange", route);
  try {
    ctx.info = await get("/api/console");
    document.getElementById("fabric-name").textContent = ctx.info.fabric;
  } catch {
    ctx.info = { dashboardUrl: null, traceUrlTemplate: null };
  }
  await poll(true);
  route();
  setTimeout(poll, POLL_MS);
}

start();
