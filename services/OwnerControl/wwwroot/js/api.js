// The owner API as the console uses it: reads are open; every change carries the owner token, asked for once per
// browser session (sessionStorage) and never shown. Failures become ApiError with the API's problem details.

const TOKEN_KEY = "planetary.ownerToken";

/** A failed call: the HTTP status and the problem details (RFC 7807) the API answered with. */
export class ApiError extends Error {
  constructor(status, problem, what) {
    super(problem?.detail || problem?.title || `${what} failed with HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? {};
    this.what = what;
  }

  /** "Value out of range: routers.spilloverBatch must be …" — the title, then the detail. */
  get text() {
    const { title, detail } = this.problem;
    return [title, detail].filter(Boolean).join(": ") || this.message;
  }
}

/** The owner control did not answer at all. */
export class UnreachableError extends Error {}

async function call(method, path, body, token) {
  const headers = { Accept: "application/json, application/problem+json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  if (method !== "GET") headers["X-Owner-Actor"] = "console";
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new UnreachableError(`Owner control did not answer (${e.message}). Is the fleet running? Start it with: bash scripts/run-fabric.sh`);
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = text; }
  }
  if (!response.ok) throw new ApiError(response.status, typeof data === "object" ? data : { title: `HTTP ${response.status}`, detail: String(data ?? "") }, `${method} ${path}`);
  return data;
}

/** A read: no token. */
export function get(path) {
  return call("GET", path);
}

/** Whether a read answers at all (for routes that may not exist in this build). */
export async function answers(path) {
  try { await call("GET", path); return true; } catch (e) { return e instanceof ApiError && e.status !== 404 && e.status !== 405; }
}

export function hasToken() {
  return !!sessionStorage.getItem(TOKEN_KEY);
}

export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
  document.dispatchEvent(new CustomEvent("token-changed"));
}

/** Asks for the token in the page's dialog; resolves to the token or null when the owner cancels. */
function askForToken(reason) {
  const dialog = document.getElementById("token-dialog");
  const input = document.getElementById("token-input");
  document.getElementById("token-reason").textContent = reason;
  input.value = "";
  return new Promise((resolve) => {
    const form = document.getElementById("token-form");
    const cancel = document.getElementById("token-cancel");
    const done = (value) => {
      form.removeEventListener("submit", onSubmit);
      cancel.removeEventListener("click", onCancel);
      dialog.removeEventListener("cancel", onCancel);
      if (dialog.open) dialog.close();
      input.value = "";
      resolve(value);
    };
    const onSubmit = (e) => { e.preventDefault(); const v = input.value.trim(); if (v) done(v); };
    const onCancel = (e) => { e.preventDefault(); done(null); };
    form.addEventListener("submit", onSubmit);
    cancel.addEventListener("click", onCancel);
    dialog.addEventListener("cancel", onCancel);
    dialog.showModal();
    input.focus();
  });
}

/**
 * A change: asks for the token if this session has none, and again (once) if the API refuses it.
 * Throws ApiError with the API's problem, or Error("cancelled") when the owner declines to give a token.
 */
export async function act(method, path, body = {}) {
  let reason = "This action changes the fabric and needs the owner's token.";
  for (let attempt = 0; attempt < 2; attempt++) {
    let token = sessionStorage.getItem(TOKEN_KEY);
    if (!token) {
      token = await askForToken(reason);
      if (!token) throw new Error("Cancelled: changes need the owner token; nothing was changed.");
      sessionStorage.setItem(TOKEN_KEY, token);
      document.dispatchEvent(new CustomEvent("token-changed"));
    }
    try {
      return await call(method, path, body, token);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        forgetToken();
        reason = `The owner token was refused (${e.text}). Enter the right one.`;
        continue;
      }
      throw e;
    }
  }
  throw new Error("The owner token was refused twice; nothing was changed. Check .tmp/owner-token.");
}

/** Operations of the OpenAPI document by operationId ({method, path}), to show panels only for routes that exist. */
let operations;
export async function operationsById() {
  if (!operations) {
    operations = get("/openapi/v1.json").then((doc) => {
      const found = {};
      for (const [path, item] of Object.entries(doc.paths ?? {})) {
        for (const [method, op] of Object.entries(item)) {
          if (op?.operationId) found[op.operationId] = { method: method.toUpperCase(), path };
        }
      }
      return found;
    }).catch(() => ({}));
  }
  return operations;
}
