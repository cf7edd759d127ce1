/* The tally's service worker (docs/tally.md): a clicker page reloaded without a connection
   opens from the copy kept here, with its queue (tally.js keeps that in localStorage).

   Registered per night for /staff/nights/{night}/tally/. A clicker page (…/tally/{entrance})
   is asked of the network first — a fresh page when there is one — and kept; when the network
   fails or takes over 4 s, the kept copy answers. Static files (their names change with their
   bytes) answer from the copy, else from the network. Every other request is left alone. */
"use strict";
var CACHE = "bolin-tally-v1";
var NETWORK_WAIT_MS = 4000;
var CLICKER = /\/staff\/nights\/[^/]+\/tally\/\d+$/;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function keep(request, response) {
  if (response && response.status === 200) {
    var copy = response.clone();
    caches.open(CACHE).then(function (cache) { return cache.put(request, copy); });
  }
  return response;
}

function networkFirst(request) {
  var fromNetwork = fetch(request).then(function (response) { return keep(request, response); });
  var late = new Promise(function (resolve, reject) {
    setTimeout(function () {
      caches.match(request, {ignoreVary: true}).then(function (kept) { return kept ? resolve(kept) : null; });
    }, NETWORK_WAIT_MS);
    fromNetwork.then(resolve, function (error) {
      caches.match(request, {ignoreVary: true}).then(function (kept) { return kept ? resolve(kept) : reject(error); });
    });
  });
  return late;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate" && CLICKER.test(url.pathname)) {
    event.respondWith(networkFirst(request));
  } else if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(caches.match(request, {ignoreVary: true}).then(function (kept) {
      return kept || fetch(request).then(function (response) { return keep(request, response); });
    }));
  }
});
