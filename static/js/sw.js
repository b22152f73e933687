/* Kampung KB offline, served at /sw.js for scope "/". The cadre's pages she has
   opened (home, report form, register, add couple, follow-ups, a couple's forms) are kept:
   network first, the kept copy when there is no signal. Static files: the kept copy at once,
   refreshed behind (stale-while-revalidate). POSTs are never kept; a form POST that finds no
   network goes to the outbox (IndexedDB "kkb", shared with outbox.js) and the page comes back
   with #menunggu-sinyal. Logout clears caches and storage (outbox.js and Clear-Site-Data). */
"use strict";
var CACHE = "kkb-v1";
var PAGES = /^\/(laporan\/[^/]+\/\d{4}-\d{2}\/(kirim\/)?|register\/[^/]+\/(tambah\/)?|tindak-lanjut\/[^/]+\/|pasangan\/\d+\/((status|konseling)\/)?)?$/;
var WRITES = /^\/(laporan\/[^/]+\/\d{4}-\d{2}\/(kirim\/)?|register\/[^/]+\/tambah\/|pasangan\/\d+\/(status|ulang|konseling)\/)$/;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n !== CACHE; }).map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

function keep(request, response) {
  if (response.ok && response.type === "basic" && !response.redirected) {
    var copy = response.clone();
    caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
  }
  return response;
}

function queue(request) {
  return request.formData().then(function (data) {
    var fields = [];
    data.forEach(function (value, name) { if (typeof value === "string") fields.push([name, value]); });
    var key = data.get("idempotency_key");
    if (!key) throw new Error("no key");
    var item = {key: key, url: request.url, method: "POST", fields: fields, at: Date.now(), state: "menunggu"};
    return new Promise(function (resolve, reject) {
      var open = indexedDB.open("kkb", 1);
      open.onupgradeneeded = function () { open.result.createObjectStore("outbox", {keyPath: "key"}); };
      open.onerror = reject;
      open.onsuccess = function () {
        var db = open.result;
        var tx = db.transaction("outbox", "readwrite");
        tx.objectStore("outbox").put(item);
        tx.oncomplete = function () { db.close(); resolve(); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      };
    });
  }).then(function () {
    return Response.redirect((request.referrer || request.url).split("#")[0] + "#menunggu-sinyal", 303);
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST") {
    if (request.mode === "navigate" && WRITES.test(url.pathname)) {
      var copy = request.clone();
      event.respondWith(fetch(request).catch(function (error) {
        return queue(copy).catch(function () { throw error; });
      }));
    }
    return;
  }
  if (request.method !== "GET") return;
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(caches.open(CACHE).then(function (cache) {
      return cache.match(request).then(function (hit) {
        var fresh = fetch(request).then(function (response) { return keep(request, response); });
        if (hit) { event.waitUntil(fresh.catch(function () {})); return hit; }
        return fresh;
      });
    }));
  } else if (request.mode === "navigate" && PAGES.test(url.pathname)) {
    event.respondWith(fetch(request).then(function (response) { return keep(request, response); }, function (error) {
      return caches.match(request).then(function (hit) { if (hit) return hit; throw error; });
    }));
  }
});
