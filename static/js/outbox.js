/* Offline for the cadre. Registers /sw.js; gives each write form an idempotency_key;
   with no signal a submission is kept in IndexedDB ("kkb"/"outbox") and sent, in order, when the
   signal returns (a replay of the same key is not applied twice); a 409 stays as "konflik" with
   a link to its page. The report form's fields are kept in localStorage until a newer version is
   saved. Logout clears all of it. Texts come from #outbox's data attributes (translated). */
(function () {
  "use strict";
  var box = document.getElementById("outbox");
  if (!box || !window.indexedDB) return;
  var words = box.dataset;
  var WRITES = /^\/(laporan\/[^/]+\/\d{4}-\d{2}\/(kirim\/)?|register\/[^/]+\/tambah\/|pasangan\/\d+\/(status|ulang|konseling)\/)$/;
  var list = document.getElementById("outbox-list");
  var sending = false;
  var restored = false;

  if ("serviceWorker" in navigator && words.sw) navigator.serviceWorker.register(words.sw, {scope: "/"}).catch(function () {});

  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open("kkb", 1);
      request.onupgradeneeded = function () { request.result.createObjectStore("outbox", {keyPath: "key"}); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  function store(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction("outbox", mode);
        var request = work(tx.objectStore("outbox"));
        tx.oncomplete = function () { db.close(); resolve(request && request.result); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }
  function all() {
    return store("readonly", function (s) { return s.getAll(); }).then(function (items) {
      return items.sort(function (a, b) { return a.at - b.at; });
    });
  }
  function put(item) { return store("readwrite", function (s) { s.put(item); }); }
  function drop(key) { return store("readwrite", function (s) { s.delete(key); }); }

  function newKey() {
    var id = crypto.randomUUID ? crypto.randomUUID() : Array.prototype.map.call(
      crypto.getRandomValues(new Uint8Array(16)), function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return id.replace(/[^A-Za-z0-9_-]/g, "");
  }
  function labelOf(item) { return item.label || localStorage.getItem("kkb-label:" + item.key) || item.page; }
  function path(url) { var u = new URL(url, location.href); return u.pathname + u.search; }
  function remember(name, value) { try { localStorage.setItem(name, value); } catch (e) { /* full or private */ } }

  function line(text, state, item) {
    var p = document.createElement("div");
    p.className = "alert py-2 mb-2 outbox-item " + (state ? "alert-danger" : "alert-warning");
    if (state) p.dataset.state = state;
    p.textContent = text + (item ? " " + item.label : "");
    if (item) {
      var a = document.createElement("a");
      a.className = "btn btn-outline-dark ms-2";
      a.href = item.page;
      a.textContent = words.open;
      p.appendChild(a);
    }
    return p;
  }
  function render(notice) {
    return all().then(function (items) {
      var waiting = items.filter(function (i) { return i.state === "menunggu"; });
      box.querySelector(".outbox-count").textContent = String(waiting.length);
      box.hidden = waiting.length === 0;
      list.textContent = "";
      if (restored) list.appendChild(line(words.restored));
      if (notice) list.appendChild(line(notice));
      items.forEach(function (item) {
        item.label = labelOf(item);
        if (item.state !== "menunggu") list.appendChild(line(item.state === "konflik" ? words.conflict : words.failed, item.state, item));
      });
      list.hidden = !list.firstChild;
    });
  }

  function freshToken(item) {
    return fetch(item.page, {credentials: "same-origin"}).then(function (r) { return r.text(); }).then(function (html) {
      var input = new DOMParser().parseFromString(html, "text/html").querySelector("input[name=csrfmiddlewaretoken]");
      if (!input) return;
      item.fields = item.fields.map(function (f) { return f[0] === "csrfmiddlewaretoken" ? [f[0], input.value] : f; });
    });
  }
  function send(item, retried) {
    return fetch(item.url, {method: "POST", body: new URLSearchParams(item.fields), credentials: "same-origin",
                            redirect: "manual", headers: {"X-Idempotency-Key": item.key}}).then(function (r) {
      if (r.type === "opaqueredirect" || (r.status >= 300 && r.status < 400)) {
        localStorage.removeItem("kkb-draft:" + new URL(item.page, location.href).pathname);
        var label = labelOf(item);
        localStorage.removeItem("kkb-label:" + item.key);
        return drop(item.key).then(function () { return label; });
      }
      if (r.status === 403 && !retried) return freshToken(item).then(function () { return send(item, true); });
      if (r.status >= 500) throw new Error(String(r.status));  // the server's trouble: later, in order
      item.state = r.status === 409 ? "konflik" : "gagal";  // never forced, never dropped
      return put(item);
    });
  }
  function flush() {
    if (sending || !navigator.onLine) return Promise.resolve();
    sending = true;
    var sent = [];
    return all().then(function (items) {
      items = items.filter(function (i) { return i.state === "menunggu"; });
      if (!items.length) return;
      // Still logged in? Sent without her session, an item would meet the login page's redirect.
      return fetch(words.home, {method: "HEAD", credentials: "same-origin", redirect: "manual"}).then(function (r) {
        if (!r.ok) throw new Error("logged out");
        return items;
      });
    }).then(function (items) {
      return (items || []).reduce(function (chain, item) {
        return chain.then(function () { return send(item).then(function (label) { if (label) sent.push(label); }); });
      }, Promise.resolve());
    }).catch(function () { /* no signal again: the rest waits */ }).then(function () {
      sending = false;
      return render(sent.length ? words.sent + " " + sent.join(", ") : "");
    });
  }

  function queue(form, submitter, key) {
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    var fields = [];
    data.forEach(function (value, name) { if (typeof value === "string") fields.push([name, value]); });
    return put({key: key, url: new URL(form.getAttribute("action") || "", location.href).href, method: "POST", fields: fields,
                label: document.title, page: path(location.href), at: Date.now(), state: "menunggu"});
  }

  function clearAll() {
    try { localStorage.clear(); sessionStorage.clear(); } catch (e) { /* nothing kept */ }
    var work = [store("readwrite", function (s) { s.clear(); }).catch(function () {}).then(function () {
      return new Promise(function (resolve) {
        var request = indexedDB.deleteDatabase("kkb");
        request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
      });
    })];
    if (window.caches) work.push(caches.keys().then(function (names) { return Promise.all(names.map(function (n) { return caches.delete(n); })); }));
    return Promise.race([Promise.all(work), new Promise(function (resolve) { setTimeout(resolve, 2000); })]);
  }

  window.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || (form.getAttribute("method") || "").toLowerCase() !== "post") return;
    var url = new URL(form.getAttribute("action") || "", location.href);
    if (url.pathname === words.logout) {
      event.preventDefault();
      clearAll().then(function () { form.submit(); });
      return;
    }
    var submitter = event.submitter;
    if (url.origin !== location.origin || !WRITES.test(url.pathname) || (submitter && submitter.value === "register")) return;
    var input = form.elements.idempotency_key;
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = "idempotency_key";
      input.value = newKey();
      form.appendChild(input);
    }
    remember("kkb-label:" + input.value, document.title);
    if (navigator.onLine) {  // sent as usual; the service worker keeps it if the network fails
      remember("kkb-resolved", url.href);  // a conflict of this form is settled on its page
      return;
    }
    event.preventDefault();
    var key = input.value;
    input.value = newKey();  // the next submission of this form is another one
    queue(form, submitter, key).then(function () { return render(words.queued); }).then(function () {
      list.scrollIntoView({block: "nearest"});
    });
  });

  function keepDraft(form) {
    var name = "kkb-draft:" + location.pathname;
    var version = form.elements.version ? form.elements.version.value : "";
    var skip = /^(csrfmiddlewaretoken|idempotency_key|version|action)$/;
    var saved = null;
    try { saved = JSON.parse(localStorage.getItem(name)); } catch (e) { /* none */ }
    if (saved && saved.version === version) {
      var changed = null;
      Object.keys(saved.fields).forEach(function (field) {
        var input = form.elements[field];
        if (input && input.value !== undefined && input.value !== saved.fields[field]) { input.value = saved.fields[field]; changed = input; }
      });
      if (changed) {
        changed.dispatchEvent(new Event("input", {bubbles: true}));
        restored = true;
      }
    } else if (saved) {
      localStorage.removeItem(name);  // the server has a newer version
    }
    form.addEventListener("input", function () {
      var fields = {};
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.name && !skip.test(el.name) && el.type !== "submit" && el.type !== "checkbox" && el.type !== "radio") fields[el.name] = el.value;
      });
      remember(name, JSON.stringify({version: version, fields: fields}));
    });
  }

  var report = document.querySelector("form.report-form");
  var queued = location.hash === "#menunggu-sinyal";
  if (queued) history.replaceState(null, "", location.pathname + location.search);
  // What another account left on this phone (a session that ran out) is neither shown nor sent as hers.
  var before = localStorage.getItem("kkb-user");
  (before && before !== words.user ? clearAll() : Promise.resolve()).then(function () {
    remember("kkb-user", words.user);
    if (report) keepDraft(report);
    var resolved = localStorage.getItem("kkb-resolved");
    localStorage.removeItem("kkb-resolved");
    return all().then(function (items) {
      return Promise.all(items.filter(function (i) { return i.state !== "menunggu" && i.url === resolved; })
        .map(function (i) { return drop(i.key); }));
    });
  }).then(function () { return render(queued ? words.queued : ""); }).then(flush);
  window.addEventListener("online", flush);
})();
