// Durable storage of the door on the phone (IndexedDB): the device token,
// the offline bundle, the queue of scans waiting for the server, and the
// admissions this phone has made. A reload or a dead battery loses nothing.

const DB_NAME = "attend-door";
const DB_VERSION = 1;
const TOKEN_KEY = "attend.door.token";

let dbp = null;

function open() {
  if (dbp) return dbp;
  dbp = new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains("kv")) db.createObjectStore("kv");
      if (!db.objectStoreNames.contains("queue")) db.createObjectStore("queue", { keyPath: "scan_id" });
      if (!db.objectStoreNames.contains("local")) db.createObjectStore("local");
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  return dbp;
}

async function tx(store, mode, fn) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const t = db.transaction(store, mode);
    const s = t.objectStore(store);
    let out;
    Promise.resolve(fn(s)).then((v) => { out = v; });
    t.oncomplete = () => resolve(out);
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error);
  });
}

function req(r) {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

export async function get(key) { return tx("kv", "readonly", (s) => req(s.get(key))); }
export async function put(key, value) { return tx("kv", "readwrite", (s) => { s.put(value, key); }); }
// putAll writes several keys in one transaction: the bundle and its ETag
// must never be stored apart.
export async function putAll(entries) {
  return tx("kv", "readwrite", (s) => { for (const [k, v] of Object.entries(entries)) s.put(v, k); });
}
export async function del(key) { return tx("kv", "readwrite", (s) => { s.delete(key); }); }

// The token is kept in both localStorage (synchronous, survives most
// clean-ups) and IndexedDB (survives "clear site data" of one of them).
export async function saveToken(token) {
  try { localStorage.setItem(TOKEN_KEY, token); } catch (e) { /* private mode */ }
  await put("token", token);
}

export async function loadToken() {
  let t = null;
  try { t = localStorage.getItem(TOKEN_KEY); } catch (e) { /* private mode */ }
  if (!t) {
    t = await get("token").catch(() => null);
    if (t) { try { localStorage.setItem(TOKEN_KEY, t); } catch (e) { /* ignore */ } }
  }
  return t || null;
}

export async function forgetToken() {
  try { localStorage.removeItem(TOKEN_KEY); } catch (e) { /* ignore */ }
  await del("token");
}

export async function enqueue(item) { return tx("queue", "readwrite", (s) => { s.put(item); }); }
export async function queued() { return tx("queue", "readonly", (s) => req(s.getAll())); }
export async function queueSize() { return tx("queue", "readonly", (s) => req(s.count())); }
export async function dequeue(ids) {
  return tx("queue", "readwrite", (s) => { for (const id of ids) s.delete(id); });
}

// Local admissions: "day:registration_id" -> {at, scan_id}.
export async function localAdmission(day, regId) { return tx("local", "readonly", (s) => req(s.get(day + ":" + regId))); }
export async function rememberAdmission(day, regId, value) {
  return tx("local", "readwrite", (s) => { s.put(value, day + ":" + regId); });
}
