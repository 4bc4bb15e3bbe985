// Installs the service worker, keeps the signed-in pages for offline use, and sends diary
// entries kept on this device as soon as the server can be reached (no inline script).
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) { return; }
  function token() {
    var field = document.querySelector("input[name=csrf_token]");
    return field ? field.value : "";
  }
  function tell(message) {
    var worker = navigator.serviceWorker.controller;
    if (worker) { worker.postMessage(message); }
  }
  function notice(text) {
    var box = document.getElementById("outbox-notice");
    if (!box) {
      box = document.createElement("p");
      box.id = "outbox-notice";
      box.setAttribute("role", "status");
      var main = document.querySelector("main") || document.body;
      main.insertBefore(box, main.firstChild);
    }
    box.textContent = text;
  }
  navigator.serviceWorker.addEventListener("message", function (event) {
    var data = event.data || {};
    if (data.type === "flushed" && data.sent > 0) {
      notice(data.sent === 1 ? "Your diary entry made offline has been sent."
        : data.sent + " diary entries made offline have been sent.");
      document.documentElement.setAttribute("data-outbox-sent", String(data.sent));
    } else if (data.type === "kept") {
      document.documentElement.setAttribute("data-offline-ready", "yes");
    }
  });
  var KEEP_EVERY_MS = 30 * 60 * 1000;  // refresh the pages kept for offline use at most this often
  function whenOnline() {
    if (!token()) { return; }  // not signed in: nothing to send yet
    tell({ type: "flush", csrf: token() });
    var last = Number(localStorage.getItem("backstride-kept-at") || 0);
    if (Date.now() - last < KEEP_EVERY_MS) {
      document.documentElement.setAttribute("data-offline-ready", "yes");
      return;
    }
    localStorage.setItem("backstride-kept-at", String(Date.now()));
    tell({ type: "keep" });
  }
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
    return navigator.serviceWorker.ready;
  }).then(function () {
    if (navigator.serviceWorker.controller) { whenOnline(); } else {
      navigator.serviceWorker.addEventListener("controllerchange", whenOnline);
    }
  });
  window.addEventListener("online", whenOnline);
  document.addEventListener("submit", function (event) {  // signing out: keep afresh next time
    if (event.target && event.target.getAttribute("action") === "/signout") {
      localStorage.removeItem("backstride-kept-at");
    }
  });
})();
