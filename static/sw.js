// Lantern's service worker (served by forum/installable.py, which fills in the version,
// the offline page and the assets). One job: when the network is gone, a page with the crisis lines.
// It keeps nothing a member reads (pages may be private): only the offline page, fetched
// without cookies so it is the same for everyone, and the static files that page needs.
"use strict";

const CACHE = "lantern-offline-__VERSION__";
const OFFLINE = "__OFFLINE__";
const ASSETS = "__ASSETS__";

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const page = await fetch(OFFLINE, { credentials: "omit", cache: "no-store" });
    if (!page.ok) throw new Error(`offline page: ${page.status}`);
    await cache.put(OFFLINE, page);
    await cache.addAll(ASSETS.map((url) => new Request(url, { credentials: "omit", cache: "no-cache" })));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    // A new version: what the old one kept goes.
    for (const name of await caches.keys()) {
      if (name.startsWith("lantern-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  const path = new URL(request.url).pathname;
  if (request.mode === "navigate") {
    // Always the network; only when it fails, the offline page.
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE, { cacheName: CACHE })));
  } else if (ASSETS.includes(path)) {
    event.respondWith(fetch(request).catch(() => caches.match(path, { cacheName: CACHE })));
  }
});
