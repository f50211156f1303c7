// Service worker of the door pages (served at /door/sw.js, which prepends
// PRECACHE and VERSION). The scanner page, its scripts, the WebAssembly
// decoder and the stylesheet are cached so the scanner opens with no
// network; the API is never cached or intercepted.
/* global PRECACHE, VERSION */
const CACHE = "attend-door-" + VERSION;

self.addEventListener("install", (ev) => {
  ev.waitUntil(
    caches.open(CACHE).then((c) => Promise.all(PRECACHE.map((u) => c.add(new Request(u, { credentials: "same-origin" })).catch(() => null))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (ev) => {
  ev.waitUntil(
    caches.keys().then((keys) => Promise.all(keys.filter((k) => k.startsWith("attend-door-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (ev) => {
  const req = ev.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== location.origin || url.pathname.startsWith("/api/")) return;
  if (url.pathname.startsWith("/assets/")) {
    // Content-hashed: the cached copy is always right.
    ev.respondWith(caches.open(CACHE).then(async (c) => {
      const hit = await c.match(req);
      if (hit) return hit;
      const res = await fetch(req);
      if (res.ok) c.put(req, res.clone());
      return res;
    }));
    return;
  }
  if (url.pathname === "/door/scan" || url.pathname === "/door/pair" || url.pathname === "/door/manifest.webmanifest") {
    // Network first (fresh page and language), the cached page when offline.
    ev.respondWith(caches.open(CACHE).then(async (c) => {
      try {
        const res = await fetch(req);
        if (res.ok) c.put(url.pathname, res.clone());
        return res;
      } catch (e) {
        const hit = await c.match(url.pathname);
        if (hit) return hit;
        throw e;
      }
    }));
  }
});
