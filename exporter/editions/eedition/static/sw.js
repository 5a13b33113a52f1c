// The e-edition's service worker: keeps the issue for reading offline.
// On install it keeps the pages of text, the stylesheet, fonts, scripts, figures and the page pictures a
// phone shows; everything else (larger pictures, the PDFs, the EPUB) is kept once it has been read.
// Answers come from the cache first, then the network; a rebuilt issue has a cache of another name,
// and the old one is deleted when the new worker takes over.
const CACHE = "__CACHE__";
const FIRST = __FIRST__;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(FIRST)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names.filter((name) => name.startsWith("exporter-e-") && name !== CACHE).map((name) => caches.delete(name))
      ))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) {
    return;
  }
  event.respondWith(
    caches.open(CACHE).then((cache) =>
      cache.match(request, { ignoreSearch: true }).then((kept) => {
        if (kept) {
          return kept;
        }
        return fetch(request).then((response) => {
          if (response.ok && response.type === "basic") {
            cache.put(request, response.clone());
          }
          return response;
        });
      })
    )
  );
});
