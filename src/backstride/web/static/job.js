// Polls a background job and updates its progress bar and result table (no inline script).
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) { return; }
  var id = box.getAttribute("data-job");
  function cell(text) { var td = document.createElement("td"); td.textContent = text || ""; return td; }
  function show(job) {
    var bar = document.getElementById("job-progress");
    bar.max = Math.max(job.total, 1); bar.value = job.done;
    document.getElementById("job-done").textContent = job.done;
    document.getElementById("job-total").textContent = job.total;
    var body = document.getElementById("job-results");
    body.textContent = "";
    job.results.forEach(function (r) {
      var tr = document.createElement("tr");
      tr.className = "status-" + r.outcome;
      tr.appendChild(cell(r.file)); tr.appendChild(cell(r.outcome)); tr.appendChild(cell(r.reason));
      body.appendChild(tr);
    });
    box.setAttribute("data-state", job.state);
    var line = document.getElementById("job-line");
    function count(outcome) { return job.results.filter(function (r) { return r.outcome === outcome; }).length; }
    if (job.state === "done") {
      line.textContent = "Finished. Imported " + count("imported") + ", already there " + count("duplicate") + ", failed " + count("failed") + ".";
    }
    else if (job.state === "failed") { line.textContent = "The import stopped."; }
  }
  function poll() {
    fetch("/api/v1/jobs/" + encodeURIComponent(id), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (job) {
        if (!job) { return; }
        show(job);
        if (job.state === "queued" || job.state === "running") { setTimeout(poll, 500); }
      });
  }
  if (box.getAttribute("data-state") === "queued" || box.getAttribute("data-state") === "running") { poll(); }
})();
