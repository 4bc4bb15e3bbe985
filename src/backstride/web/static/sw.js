// The service worker: the app shell and the pages last seen (today's plan among them) stay
// available without a network, and a diary entry made while the server cannot be reached is
// kept on the device and sent as soon as it can be. Personal pages are forgotten at sign-out.
"use strict";

var VERSION = "backstride-1";
var SHELL = "shell-" + VERSION;
var PAGES = "pages-" + VERSION;
var SHELL_FILES = ["/static/style.css", "/static/pwa.js", "/offline", "/offline/saved",
  "/manifest.webmanifest", "/static/icons/icon.svg", "/static/icons/icon-192.png"];
// Pages kept for offline use once signed in (network first, the kept copy when offline).
var KEPT_PAGES = ["/", "/plan", "/diary", "/progress"];
var QUEUED_POSTS = ["/diary", "/api/v1/diary"];
var DB_NAME = "backstride-outbox";

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL).then(function (cache) { return cache.addAll(SHELL_FILES); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n !== SHELL && n !== PAGES; })
      .map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

function outbox(mode, work) {
  return new Promise(function (resolve, reject) {
    var open = indexedDB.open(DB_NAME, 1);
    open.onupgradeneeded = function () {
      open.result.createObjectStore("posts", { keyPath: "id", autoIncrement: true });
    };
    open.onerror = function () { reject(open.error); };
    open.onsuccess = function () {
      var tx = open.result.transaction("posts", mode);
      var result = work(tx.objectStore("posts"));
      tx.oncomplete = function () { resolve(result && result.result); };
      tx.onerror = function () { reject(tx.error); };
    };
  });
}

function kept(request) {
  return caches.match(request).then(function (found) {
    return found || caches.match("/offline");
  });
}

function page(request) {
  return fetch(request).then(function (response) {
    var path = new URL(request.url).pathname;
    if (response.ok && KEPT_PAGES.indexOf(path) >= 0) {
      var copy = response.clone();
      caches.open(PAGES).then(function (cache) { cache.put(path, copy); });
    }
    return response;
  }, function () { return kept(new URL(request.url).pathname); });
}

function fresh(request) {  // the shell: the server's copy when it answers, else the kept one
  return fetch(request).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      caches.open(SHELL).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  }, function () { return caches.match(request); });
}

function queue(request) {
  return request.clone().text().then(function (body) {
    return fetch(request).catch(function () {
      var item = { url: request.url, body: body, made: new Date().toISOString(),
        type: request.headers.get("content-type") || "",
        csrf: request.headers.get("x-csrf-token") || "" };
      return outbox("readwrite", function (store) { return store.add(item); }).then(function () {
        if (self.registration.sync) { self.registration.sync.register("outbox").catch(function () {}); }
        var api = new URL(request.url).pathname.indexOf("/api/") === 0;
        if (api) {
          return new Response(JSON.stringify({ queued: true }),
            { status: 202, headers: { "Content-Type": "application/json" } });
        }
        return caches.match("/offline/saved").then(function (shell) {
          return new Response(shell.body, { status: 202, headers: shell.headers });
        });
      });
    });
  });
}

function withToken(item, token) {
  if (!token) { return item; }
  if (item.type.indexOf("application/x-www-form-urlencoded") === 0) {
    var form = new URLSearchParams(item.body);
    form.set("csrf_token", token);
    return Object.assign({}, item, { body: form.toString() });
  }
  return Object.assign({}, item, { csrf: token });
}

// One flush at a time: the background sync and the page's request can both ask at once, and
// two flushes reading the same outbox would send each kept entry twice.
var flushing = Promise.resolve(0);

function flush(token) {
  var next = function () { return flushOnce(token); };
  flushing = flushing.then(next, next);
  return flushing;
}

function flushOnce(token) {
  return outbox("readonly", function (store) { return store.getAll(); }).then(function (items) {
    var sent = 0;
    return items.reduce(function (done, stored) {
      return done.then(function () {
        var item = withToken(stored, token);
        var headers = { "Content-Type": item.type };
        if (item.csrf) { headers["X-CSRF-Token"] = item.csrf; }
        return fetch(item.url, { method: "POST", body: item.body, headers: headers,
          credentials: "same-origin", redirect: "manual" }).then(function (response) {
          // Sent (or refused for good, say a day out of range): it leaves the outbox. A lapsed
          // sign-in or CSRF token (401/403) or a server error keeps it for the next try.
          if (response.status === 401 || response.status === 403 || response.status >= 500) { return; }
          sent += 1;
          return outbox("readwrite", function (store) { return store.delete(stored.id); });
        }, function () { /* still unreachable: keep it */ });
      });
    }, Promise.resolve()).then(function () { return sent; });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.method === "POST" && QUEUED_POSTS.indexOf(url.pathname) >= 0) {
    event.respondWith(queue(request));
  } else if (request.method === "POST" && url.pathname === "/signout") {  // forget their pages
    event.respondWith(caches.delete(PAGES).then(function () { return fetch(request); }));
  } else if (request.method === "GET" && request.mode === "navigate") {
    event.respondWith(page(request));
  } else if (request.method === "GET" && SHELL_FILES.indexOf(url.pathname) >= 0) {
    event.respondWith(fresh(request));
  }
});

self.addEventListener("sync", function (event) {
  if (event.tag !== "outbox") { return; }
  event.waitUntil(flush("").then(function (sent) {
    return self.clients.matchAll().then(function (clients) {
      clients.forEach(function (client) { client.postMessage({ type: "flushed", sent: sent }); });
    });
  }));
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  var reply = function (message) { if (event.source) { event.source.postMessage(message); } };
  if (data.type === "flush") {
    event.waitUntil(flush(data.csrf).then(function (sent) {
      return outbox("readonly", function (store) { return store.count(); }).then(function (left) {
        reply({ type: "flushed", sent: sent, left: left });
      });
    }));
  } else if (data.type === "keep") {  // signed in: keep the personal pages for offline use
    event.waitUntil(caches.open(PAGES).then(function (cache) {
      return Promise.all(KEPT_PAGES.map(function (path) {
        return fetch(path, { credentials: "same-origin" }).then(function (response) {
          if (response.ok && !response.redirected) { return cache.put(path, response); }
        }, function () {});
      }));
    }).then(function () { reply({ type: "kept" }); }));
  }
});
