// The door scanner: camera and keyboard-wedge input, local verification of
// signed tickets, the answer on screen with sound and vibration, an offline
// queue in IndexedDB synced when the network is back, the desk and walk-ins.
import * as store from "./store.js";
import { importKeys, verify, canVerify } from "./verify.js";
import { startCamera, stopCamera } from "./camera.js";

const root = document.getElementById("door-app");
const M = JSON.parse(root.dataset.messages || "{}");
const lang = root.dataset.lang || document.documentElement.lang || "en";
const csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
const $ = (id) => document.getElementById(id);

const state = {
  token: null,
  eventSlug: root.dataset.event || "",
  bundle: null,
  bundleETag: null, // ETag of the stored bundle, sent as If-None-Match
  keys: null,
  people: new Map(), // ticket id -> attendee
  revoked: new Map(), // ticket id -> cancelled?
  admitted: new Set(), // registration ids in today (server list + this phone)
  online: navigator.onLine,
  busy: false,
  last: { text: "", at: 0 },
  syncing: false,
  revokedDevice: false,
  refused: "", // "forbidden" | "signed_out": this staff member cannot scan here (an event not theirs is not found to them)
};

function t(key, vars) {
  let s = M[key] || key;
  for (const [k, v] of Object.entries(vars || {})) s = s.split("{" + k + "}").join(String(v));
  return s;
}

function plural(key, n) {
  const forms = M[key] || {};
  const cat = new Intl.PluralRules(lang).select(n);
  return (forms[cat] || forms.other || "").split("{count}").join(new Intl.NumberFormat(lang).format(n));
}

const countryNames = (() => {
  try { return new Intl.DisplayNames([lang], { type: "region" }); } catch (e) { return null; }
})();
const countryName = (c) => (countryNames && c ? countryNames.of(c) : c) || c;

function today() {
  const tz = (state.bundle && state.bundle.event.time_zone) || "UTC";
  try {
    return new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
  } catch (e) {
    return new Date().toISOString().slice(0, 10);
  }
}

function fmtTime(iso) {
  if (!iso) return "";
  const tz = (state.bundle && state.bundle.event.time_zone) || undefined;
  try { return new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit", timeZone: tz }).format(new Date(iso)); } catch (e) { return iso; }
}

function fmtDay(d) {
  try { return new Intl.DateTimeFormat(lang, { day: "numeric", month: "short", timeZone: "UTC" }).format(new Date(d + "T00:00:00Z")); } catch (e) { return d; }
}

function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// ---- server calls -------------------------------------------------------

class Offline extends Error {}
const NOT_MODIFIED = Symbol("not modified");
class Refused extends Error { constructor(status, body) { super("HTTP " + status); this.status = status; this.body = body; } }

async function api(path, opts = {}) {
  const headers = { Accept: "application/json" };
  if (opts.body !== undefined) headers["Content-Type"] = "application/json";
  let url = path;
  if (opts.etag) headers["If-None-Match"] = opts.etag;
  if (state.token) headers.Authorization = "Bearer " + state.token;
  else {
    headers["X-CSRF-Token"] = csrf;
    url += (url.includes("?") ? "&" : "?") + "event=" + encodeURIComponent(state.eventSlug);
  }
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), opts.timeout || 4000);
  let res;
  try {
    res = await fetch(url, {
      method: opts.method || "GET", headers, credentials: "same-origin", signal: ctl.signal,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  } catch (e) {
    setOnline(false);
    throw new Offline(String(e));
  } finally {
    clearTimeout(timer);
  }
  if (res.status >= 500 || res.status === 429) {
    // The server is there but cannot answer now: behave as offline.
    throw new Offline("HTTP " + res.status);
  }
  setOnline(true);
  if (opts.onResponse) opts.onResponse(res);
  if (res.status === 304) return NOT_MODIFIED;
  const body = await res.json().catch(() => null);
  if (res.status === 401) {
    state.revokedDevice = !!state.token;
    renderStatus();
  }
  if (!res.ok) throw new Refused(res.status, body);
  return body;
}

// ---- offline data -------------------------------------------------------

// ---- door mode: in or out ------------------------------------------------

const MODE_KEY = "attend.door.mode";
const modeBox = $("door-mode");

// exitMode: this scanner records exits (only on an event that counts them).
function exitMode() {
  return !!(state.bundle && state.bundle.event.counts_exits) && state.mode === "out";
}

function renderMode() {
  const on = !!(state.bundle && state.bundle.event.counts_exits);
  modeBox.hidden = !on;
  const mode = on ? state.mode : "in";
  for (const b of modeBox.querySelectorAll("[data-mode]")) b.setAttribute("aria-pressed", String(b.dataset.mode === mode));
  root.dataset.mode = mode;
}

state.mode = (() => { try { return localStorage.getItem(MODE_KEY) === "out" ? "out" : "in"; } catch (e) { return "in"; } })();
for (const b of modeBox.querySelectorAll("[data-mode]")) {
  b.addEventListener("click", () => {
    state.mode = b.dataset.mode;
    try { localStorage.setItem(MODE_KEY, state.mode); } catch (e) { /* private mode: this page only */ }
    renderMode();
  });
}

async function useBundle(b) {
  state.bundle = b;
  renderMode();
  state.people = new Map(b.people.map((p) => [p.ticket_id, p]));
  state.revoked = new Map(b.revoked.map((r) => [r.ticket_id, r.cancelled]));
  const day = today();
  const fresh = new Set(b.today === day ? b.admitted_today : []);
  for (const id of state.admitted) fresh.add(id);
  state.admitted = fresh;
  state.keys = await importKeys(b.keys);
  if (b.event.project) {
    const a = $("door-privacy");
    a.href = "/" + encodeURIComponent(lang) + "/privacy/" + encodeURIComponent(b.event.project);
    a.hidden = false;
  }
  renderStatus();
}

async function refreshBundle() {
  try {
    // The ETag is sent only when the bundle it names is in use, so that a
    // 304 ("unchanged") always leaves a bundle to keep.
    let etag = null;
    const b = await api("/api/v1/door/bundle", {
      timeout: 15000, etag: state.bundle ? state.bundleETag : null,
      onResponse: (res) => { etag = res.headers.get("ETag"); },
    });
    if (b === NOT_MODIFIED) {
      root.dataset.bundle = "unchanged";
      return;
    }
    await store.putAll({ bundle: b, bundle_etag: etag || "" });
    state.bundleETag = etag;
    await useBundle(b);
    root.dataset.bundle = "stored"; // the bundle and its ETag are on the phone
  } catch (e) {
    if (e instanceof Refused && !state.token && (e.status === 401 || e.status === 403 || e.status === 404)) refuse(e.status === 401 ? "signed_out" : "forbidden");
    else if (!(e instanceof Offline)) console.warn("bundle", e);
  }
}

// refuse says why a signed-in staff member cannot scan here (not granted
// this event, or signed out) instead of leaving the page loading.
function refuse(why) {
  state.refused = why;
  if (camRunning) { stopCamera(video); camRunning = false; }
  for (const el of document.querySelectorAll(".door-tabs, .door-panel")) el.hidden = true;
  const n = $("door-refused");
  n.textContent = t("status." + why);
  n.hidden = false;
  renderStatus();
}

// ---- decisions ----------------------------------------------------------

// decideLocally answers like the server would from the offline data, or
// returns null when this phone cannot tell (no list yet, no Ed25519).
async function decideLocally(payload, scanId, at) {
  if (!state.bundle || !state.keys || !canVerify()) return null;
  const day = today();
  const v = await verify(payload, state.bundle.event.id, state.keys);
  // A key made after the last sync (a rotation) is not known here yet: the
  // phone cannot tell such a ticket from a forged one, so it answers
  // "unverified" and the server decides when the scan is synced.
  if (!v.ok && v.reason === "unknown_key") return null;
  if (!v.ok) return { result: v.result, reason: v.reason || "", attendee: null, day, scan_id: scanId };
  const c = v.claims;
  const person = state.people.get(c.ticketId) || null;
  const base = { attendee: person, day, scan_id: scanId, first_admitted_at: null, first_device: null };
  if (state.revoked.has(c.ticketId)) return { ...base, result: state.revoked.get(c.ticketId) ? "cancelled" : "revoked" };
  if (!c.days.includes(day)) return { ...base, result: "not_today", attendee: person || { days: c.days } };
  const regId = person ? person.registration_id : "t" + c.ticketId;
  const mine = await store.localAdmission(day, regId).catch(() => null);
  if (state.admitted.has(regId) || mine) {
    return { ...base, result: "already_admitted", first_admitted_at: mine ? mine.at : null,
      first_device: mine ? (state.bundle.device ? state.bundle.device.name : "") : null };
  }
  state.admitted.add(regId);
  await store.rememberAdmission(day, regId, { at, scan_id: scanId });
  return { ...base, result: "admitted", first_admitted_at: at };
}

function remember(res) {
  if ((res.result === "admitted" || res.result === "already_admitted") && res.attendee) {
    state.admitted.add(res.attendee.registration_id);
    if (res.result === "admitted") {
      store.rememberAdmission(res.day, res.attendee.registration_id, { at: res.first_admitted_at, scan_id: res.scan_id }).catch(() => {});
    }
  }
}

async function handle(text, method) {
  text = (text || "").trim();
  if (!text || state.busy) return;
  state.busy = true;
  state.last = { text, at: Date.now() };
  const scanId = uuid();
  const at = new Date().toISOString();
  try {
    let res = null;
    if (state.online) {
      try {
        const body = { payload: text, scan_id: scanId, scanned_at: at, method };
        if (exitMode()) body.direction = "out";
        res = await api("/api/v1/scans", { method: "POST", timeout: 3000, body });
        remember(res);
        if (res.result === "admitted" || res.result === "exited") setTimeout(refreshCounts, 0);
      } catch (e) {
        if (!(e instanceof Offline)) {
          show({ result: "error", reason: e.body && e.body.error ? e.body.error.message : t("error.generic") });
          return;
        }
      }
    }
    if (!res) {
      // An exit is not decided on the phone: the server settles it on sync.
      const local = exitMode() ? null : await decideLocally(text, scanId, at);
      const item = { payload: text, scan_id: scanId, scanned_at: at, method, local_result: local ? local.result : "" };
      if (exitMode()) item.direction = "out";
      await store.enqueue(item);
      res = local || { result: "unverified" };
      res.offline = true;
      renderStatus();
      scheduleSync(1000);
    }
    show(res);
  } finally {
    state.last.at = Date.now();
    state.busy = false;
  }
}

// ---- the answer on screen --------------------------------------------------

const overlay = $("door-result");
let hideTimer = 0;
let audio = null;

// Browsers start audio only after a user gesture: unlock it on the first tap or key.
function unlockAudio() {
  try {
    audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    if (audio.state === "suspended") audio.resume();
  } catch (e) { /* no audio */ }
}
document.addEventListener("pointerdown", unlockAudio, { once: true });
document.addEventListener("keydown", unlockAudio, { once: true });

function beep(kind) {
  try {
    audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    const tones = kind === "ok" ? [[880, 0.12]] : kind === "warn" ? [[520, 0.15], [520, 0.15]] : [[220, 0.45]];
    let t0 = audio.currentTime;
    for (const [f, d] of tones) {
      const o = audio.createOscillator(), g = audio.createGain();
      o.frequency.value = f; o.type = kind === "bad" ? "square" : "sine";
      g.gain.setValueAtTime(0.25, t0); g.gain.exponentialRampToValueAtTime(0.001, t0 + d);
      o.connect(g).connect(audio.destination); o.start(t0); o.stop(t0 + d);
      t0 += d + 0.06;
    }
  } catch (e) { /* no audio: the screen still says it */ }
  const active = !navigator.userActivation || navigator.userActivation.hasBeenActive;
  if (navigator.vibrate && active) navigator.vibrate(kind === "ok" ? 80 : kind === "warn" ? [80, 60, 80] : [300]);
}

function describe(res) {
  const a = res.attendee;
  const out = { kind: "bad", icon: "✕", title: "", name: "", meta: "", detail: "", hint: "" };
  if (a && a.name) {
    out.name = a.name;
    out.meta = [countryName(a.country), a.partner || a.organisation].filter(Boolean).join(" · ");
  }
  switch (res.result) {
    case "admitted":
      Object.assign(out, { kind: "ok", icon: "✓", title: t("result.admitted") });
      break;
    case "already_admitted":
      Object.assign(out, { kind: "warn", icon: "!", title: t("result.already_admitted") });
      if (res.first_admitted_at) out.detail = t("result.already_detail", { time: fmtTime(res.first_admitted_at), door: res.first_device || t("counts.desk") });
      break;
    case "exited":
      Object.assign(out, { kind: "ok", icon: "→", title: t("result.exited") });
      break;
    case "not_inside":
      Object.assign(out, { kind: "warn", icon: "!", title: t("result.not_inside") });
      break;
    case "not_today":
      out.title = t("result.not_today");
      if (a && a.days && a.days.length) out.detail = t("result.not_today_detail", { days: a.days.map(fmtDay).join(", ") });
      break;
    case "invalid":
      out.title = t("result.invalid");
      out.detail = res.reason === "malformed" ? t("reason.malformed") : t("reason.forged");
      break;
    case "revoked": out.title = t("result.revoked"); break;
    case "cancelled": out.title = t("result.cancelled"); break;
    case "wrong_event": out.title = t("result.wrong_event"); break;
    case "unverified": Object.assign(out, { kind: "warn", icon: "?", title: t("result.unverified") }); break;
    default: out.title = res.reason || t("error.generic");
  }
  if (res.double_entry) out.hint = t("result.double_entry");
  if (res.offline) out.hint = [out.hint, t("result.offline_note")].filter(Boolean).join(" ");
  return out;
}

function show(res) {
  const d = describe(res);
  overlay.className = "door-result door-result-" + d.kind;
  overlay.dataset.result = res.result;
  overlay.querySelector(".door-result-icon").textContent = d.icon;
  overlay.querySelector(".door-result-title").textContent = d.title;
  overlay.querySelector(".door-result-name").textContent = d.name;
  overlay.querySelector(".door-result-meta").textContent = d.meta;
  overlay.querySelector(".door-result-detail").textContent = d.detail;
  overlay.querySelector(".door-result-hint").textContent = d.hint;
  overlay.hidden = false;
  beep(d.kind);
  addHistory(d);
  clearTimeout(hideTimer);
  hideTimer = setTimeout(hideResult, d.kind === "ok" ? 900 : 2200);
}

function hideResult() { overlay.hidden = true; }
overlay.addEventListener("click", hideResult);

function addHistory(d) {
  let list = $("door-history");
  if (!list) return;
  const li = document.createElement("li");
  li.className = "door-history-" + d.kind;
  const tz = (state.bundle && state.bundle.event.time_zone) || undefined;
  let time;
  try { time = new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone: tz }).format(new Date()); } catch (e) { time = ""; }
  li.textContent = `${time} ${d.title}${d.name ? ": " + d.name : ""}`;
  list.prepend(li);
  while (list.children.length > 8) list.lastChild.remove();
}

// ---- status line, sync and counts ------------------------------------------

function setOnline(on) {
  if (state.online !== on) {
    state.online = on;
    renderStatus();
    if (on) scheduleSync(200);
  }
}

async function renderStatus() {
  const dev = $("door-device");
  if (state.refused) {
    dev.textContent = ""; // the notice below says it
  } else if (state.revokedDevice) {
    dev.textContent = t("status.revoked");
    root.classList.add("door-revoked");
  } else if (state.bundle) {
    const title = state.bundle.event.title[lang] || state.bundle.event.title.en || state.bundle.event.slug;
    dev.textContent = (state.bundle.device ? state.bundle.device.name + " · " : "") + title + " · " + plural("status.list", state.bundle.people.length);
  } else if (!state.token && !state.eventSlug) {
    dev.textContent = t("status.not_paired");
  } else {
    dev.textContent = t("status.no_list");
  }
  const n = await store.queueSize().catch(() => 0);
  const net = $("door-net");
  net.dataset.online = String(state.online);
  net.dataset.queued = String(n);
  if (!state.online) net.textContent = t("status.offline") + (n ? ", " + plural("status.queued", n) : "");
  else if (n) net.textContent = state.syncing ? t("status.syncing") : plural("status.queued", n);
  else net.textContent = t("status.online");
}

let syncTimer = 0;
function scheduleSync(ms) {
  clearTimeout(syncTimer);
  syncTimer = setTimeout(sync, ms);
}

async function sync() {
  if (state.syncing) return;
  state.syncing = true;
  try {
    for (;;) {
      const items = (await store.queued()).sort((a, b) => a.scanned_at.localeCompare(b.scanned_at)).slice(0, 100);
      if (!items.length) break;
      const scans = items.filter((i) => !i.kind);
      const done = [];
      if (scans.length) {
        const out = await api("/api/v1/scans/batch", { method: "POST", timeout: 15000, body: { scans } });
        for (const r of out.results) {
          done.push(r.scan_id);
          if (r.result) remember(r.result);
        }
      }
      for (const i of items.filter((i) => i.kind === "manual")) {
        const res = await api("/api/v1/door/admit", { method: "POST", body: { registration_id: i.registration_id, reason: i.reason, day_reason: i.day_reason || "", scan_id: i.scan_id, scanned_at: i.scanned_at, offline: true } })
          .catch((e) => { if (e instanceof Offline) throw e; return null; });
        if (res) remember(res);
        done.push(i.scan_id);
      }
      await store.dequeue(done);
      if (done.length < items.length) break;
    }
    await renderStatus();
    const n = await store.queueSize();
    if (n === 0) {
      $("door-net").textContent = t("status.synced");
      refreshCounts();
    }
  } catch (e) {
    scheduleSync(state.online ? 10000 : 5000);
  } finally {
    state.syncing = false;
    renderStatus();
  }
}

async function refreshCounts() {
  try {
    const c = await api("/api/v1/door/counts");
    for (const el of document.querySelectorAll("#door-counts [data-exits]")) el.hidden = !c.counts_exits;
    for (const el of document.querySelectorAll("#door-counts [data-count]")) {
      if (c[el.dataset.count] !== undefined) el.textContent = new Intl.NumberFormat(lang).format(c[el.dataset.count]);
    }
  } catch (e) { /* keep the last numbers */ }
}

// ---- camera and keyboard wedge ---------------------------------------------

const video = $("door-video");
const camMsg = $("door-camera-msg");
const camBtn = $("door-camera-start");
let camRunning = false;
let seen = { text: "", at: 0 };

async function runCamera() {
  seen = { text: "", at: 0 };
  camMsg.textContent = t("camera.starting");
  camBtn.hidden = true;
  try {
    await startCamera(video, {
      wasmURL: root.dataset.wasm, ponyfillURL: root.dataset.ponyfill,
      onCode: (text) => {
        // A ticket held in front of the camera is one scan: the same code is
        // read again only after it left the picture (or the camera restarted).
        const now = Date.now();
        const still = text === seen.text && now - seen.at < 1500;
        seen = { text, at: now };
        if (!still) handle(text, "qr");
      },
    });
    camRunning = true;
    if (state.refused) { stopCamera(video); camRunning = false; return; }
    camMsg.textContent = t("camera.ready");
    camBtn.textContent = camBtn.dataset.stop;
    camBtn.hidden = false;
    camBtn.dataset.running = "true";
  } catch (e) {
    camRunning = false;
    camMsg.textContent = e && e.name === "NotAllowedError" ? t("camera.denied")
      : e && e.name === "NotFoundError" ? t("camera.none")
      : !window.isSecureContext ? t("camera.insecure")
      : e && e.message === "engine" ? t("camera.engine_failed") : t("camera.none");
    camBtn.textContent = camBtn.dataset.start;
    camBtn.hidden = false;
    camBtn.dataset.running = "false";
  }
}

camBtn.addEventListener("click", () => {
  if (camRunning) {
    stopCamera(video);
    camRunning = false;
    camBtn.dataset.running = "false";
    camBtn.textContent = camBtn.dataset.start;
    camMsg.textContent = "";
  } else {
    runCamera();
  }
});

// typed takes a read of the hand scanner or the ticket field: a ticket code
// is looked up at the desk, anything else is a payload. Reads are taken one
// after the other, so none is dropped while the one before is answered.
let reads = Promise.resolve();
function typed(v) {
  v = (v || "").trim();
  reads = reads.then(() => {
    if (state.refused || !v) return;
    if (/^[2-9a-hj-np-z]{4}[- ]?[2-9a-hj-np-z]{4}$/i.test(v)) {
      document.querySelector('.door-tab[data-tab="desk"]').click();
      $("door-q").value = v;
      $("door-search").requestSubmit();
      return;
    }
    return handle(v, "keyboard");
  }).catch((e) => console.warn("read", e));
}

$("door-wedge").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const input = $("door-wedge-input");
  const v = input.value;
  input.value = "";
  typed(v);
});
// A hand scanner typing anywhere on the scan screen is collected by wedge.js
// (loaded first, so that no key is lost while this page starts); main()
// attaches once the device key is loaded.

// ---- tabs, desk and walk-ins --------------------------------------------

for (const b of document.querySelectorAll(".door-tab")) {
  b.addEventListener("click", () => {
    for (const o of document.querySelectorAll(".door-tab")) {
      o.setAttribute("aria-pressed", String(o === b));
      $("tab-" + o.dataset.tab).hidden = o !== b;
    }
  });
}

function normalizeText(s) { return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim(); }

async function search(q) {
  const note = $("door-search-note");
  if (state.online) {
    try {
      const out = await api("/api/v1/door/search?q=" + encodeURIComponent(q));
      note.textContent = out.people.length ? "" : t("desk.none");
      return out.people;
    } catch (e) {
      if (!(e instanceof Offline)) { note.textContent = t("error.generic"); return []; }
    }
  }
  // Offline: the downloaded list (names and ticket codes; no e-mail addresses on the phone).
  const nq = normalizeText(q).replace(/[\s-]/g, "");
  const words = normalizeText(q).split(/\s+/).filter(Boolean);
  const found = [];
  for (const p of state.people.values()) {
    const name = normalizeText(p.name);
    if (words.every((w) => name.includes(w)) || (p.code && p.code.toLowerCase() === nq)) {
      found.push({ ...p, registered_today: (p.days || []).includes(today()), admitted_today: state.admitted.has(p.registration_id), status: "confirmed" });
      if (found.length >= 25) break;
    }
  }
  note.textContent = t("desk.offline_search") + (found.length ? "" : " " + t("desk.none"));
  return found;
}

$("door-search").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const q = $("door-q").value.trim();
  if (q.length < 2) return;
  const list = $("door-results");
  list.textContent = "";
  const people = await search(q);
  const tpl = $("door-result-tpl");
  for (const p of people) {
    const li = tpl.content.firstElementChild.cloneNode(true);
    li.querySelector('[data-f="name"]').textContent = p.name;
    li.querySelector('[data-f="meta"]').textContent = [countryName(p.country), p.partner || p.organisation, p.code].filter(Boolean).join(" · ");
    const st = li.querySelector('[data-f="state"]');
    const form = li.querySelector("form");
    if (p.status === "cancelled") { st.textContent = t("desk.cancelled"); form.remove(); }
    else if (p.admitted_today) { st.textContent = t("desk.admitted_today"); form.remove(); }
    else if (p.registered_today === false) {
      // Not registered for today: say so, and ask why they are admitted anyway.
      st.textContent = t("desk.not_registered_today", { days: (p.days || []).map(fmtDay).join(", ") });
      st.className = "door-person-warn";
      form.querySelector(".door-day-reason").hidden = false;
      form.day_reason.required = true;
    } else if (!p.ticket_id) st.textContent = t("desk.no_ticket");
    form && form.addEventListener("submit", (e) => { e.preventDefault(); admitManual(p, form.reason.value, form.day_reason.value.trim(), li); });
    list.append(li);
  }
});

async function admitManual(p, reason, dayReason, li) {
  if (!reason) { alert(t("desk.reason_required")); return; }
  if (p.registered_today === false && !dayReason) { alert(t("desk.day_reason_required")); return; }
  const scanId = uuid();
  const at = new Date().toISOString();
  const body = { registration_id: p.registration_id, reason, scan_id: scanId, scanned_at: at };
  if (dayReason) body.day_reason = dayReason;
  let res;
  try {
    res = await api("/api/v1/door/admit", { method: "POST", body });
    remember(res);
  } catch (e) {
    if (!(e instanceof Offline)) {
      const err = e.body && e.body.error;
      const field = err && err.fields && Object.values(err.fields)[0];
      show({ result: "error", reason: field || (err ? err.message : t("error.generic")) });
      return;
    }
    const day = today();
    const mine = await store.localAdmission(day, p.registration_id);
    if (state.admitted.has(p.registration_id) || mine) {
      res = { result: "already_admitted", attendee: p, first_admitted_at: mine ? mine.at : null, offline: true };
    } else {
      state.admitted.add(p.registration_id);
      await store.rememberAdmission(day, p.registration_id, { at, scan_id: scanId });
      await store.enqueue({ kind: "manual", registration_id: p.registration_id, reason, day_reason: dayReason, scan_id: scanId, scanned_at: at });
      res = { result: "admitted", attendee: p, first_admitted_at: at, offline: true };
      renderStatus();
      scheduleSync(1000);
    }
  }
  show(res);
  const f = li.querySelector("form");
  if (f && (res.result === "admitted" || res.result === "already_admitted")) f.remove();
}

$("door-walkin").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const f = ev.target;
  for (const el of f.querySelectorAll("[data-err]")) el.textContent = "";
  const note = $("door-walkin-note");
  const body = {
    first_name: f.first_name.value, last_name: f.last_name.value, email: f.email.value, country: f.country.value,
    city: f.city.value, organisation: f.organisation.value, participation: f.participation.value,
    consent: f.consent.checked, language: lang, scan_id: f.dataset.scanId || uuid(),
  };
  f.dataset.scanId = body.scan_id; // a retried submit stays one walk-in
  try {
    const res = await api("/api/v1/door/walkins", { method: "POST", body, timeout: 8000 });
    remember(res);
    show(res);
    f.reset();
    delete f.dataset.scanId;
    note.textContent = t("walkin.done");
  } catch (e) {
    if (e instanceof Refused && e.body && e.body.error && e.body.error.fields) {
      for (const [k, v] of Object.entries(e.body.error.fields)) {
        const el = f.querySelector(`[data-err="${k}"]`);
        if (el) el.textContent = v;
      }
      note.textContent = "";
    } else {
      note.textContent = t("walkin.failed");
    }
  }
});

// ---- start -------------------------------------------------------------

async function main() {
  if (root.dataset.sw && "serviceWorker" in navigator) {
    navigator.serviceWorker.register(root.dataset.sw, { scope: "/door/" }).catch(() => {});
  }
  state.token = await store.loadToken();
  const cached = await store.get("bundle").catch(() => null);
  if (cached && (state.token || cached.event.slug === state.eventSlug)) {
    state.bundleETag = (await store.get("bundle_etag").catch(() => null)) || null;
    await useBundle(cached);
  }
  await renderStatus();
  if (!state.token && !state.eventSlug) return; // not paired: nothing to scan for
  window.doorWedge.attach(typed);
  runCamera();
  await refreshBundle();
  if (state.refused) return;
  refreshCounts();
  scheduleSync(500);
  setInterval(refreshCounts, 5000);
  setInterval(() => { if (state.online && !state.refused) refreshBundle(); }, 180000);
  setInterval(async () => { if ((await store.queueSize()) > 0) scheduleSync(0); }, 10000);
}

window.addEventListener("online", () => { state.online = true; renderStatus(); scheduleSync(200); });
window.addEventListener("offline", () => { state.online = false; renderStatus(); });

main();
