// Small DOM helpers: elements are built from data, never from HTML strings, so nothing the API says can become markup.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export function pill(state) {
  const s = String(state ?? "unknown");
  return h("span", { class: `pill ${s.toLowerCase()}` }, s);
}

export function num(v) {
  return v === null || v === undefined ? "—" : Number(v).toLocaleString("en-US");
}

export function time(ms) {
  return ms ? new Date(ms).toLocaleTimeString("en-GB", { hour12: false }) : "—";
}

export function dateTime(ms) {
  return ms ? new Date(ms).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC") : "—";
}

export function json(v) {
  return v === null || v === undefined ? "—" : Array.isArray(v) ? v.join(", ") : String(v);
}

/** Shows a message in the page's live region (polite), and keeps it for a while. */
let noticeTimer;
export function notice(text, isError = false) {
  const el = document.getElementById("notice");
  el.textContent = text;
  el.classList.toggle("error", isError);
  el.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => { el.hidden = true; }, 12000);
}

/** The words for a failure: the API's problem, or what else went wrong, and what to do. */
export function describe(e) {
  return e?.text ?? e?.message ?? String(e);
}
