// crosswire serve: the only script (no inline script is allowed by the CSP).
// Job pages poll their job until it finishes; story pages poll their story's version and
// reload when it changes. Only textContent is written, never HTML.
"use strict";
(function () {
  var body = document.body;
  var every = parseInt(body.dataset.pollMs || "3000", 10);

  function poll(url, onData) {
    function tick() {
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data && onData(data) !== false) { setTimeout(tick, every); } })
        .catch(function () { setTimeout(tick, every * 2); });
    }
    setTimeout(tick, every);
  }

  if (body.dataset.job && body.dataset.jobState !== "done" && body.dataset.jobState !== "failed") {
    poll("/api/v1/jobs/" + encodeURIComponent(body.dataset.job), function (job) {
      document.getElementById("job-state").textContent = job.state;
      document.getElementById("job-stage").textContent = job.stage;
      var bar = document.getElementById("job-progress");
      bar.max = job.total || 1;
      bar.value = job.done;
      if (job.state === "done" || job.state === "failed") {
        window.location.reload();
        return false;
      }
      return true;
    });
  }

  if (body.dataset.story && body.dataset.version) {
    poll("/api/v1/stories/" + encodeURIComponent(body.dataset.story) + "/version", function (v) {
      if (v.version !== body.dataset.version) {
        document.getElementById("story-changed").classList.remove("hidden");
        window.location.reload();
        return false;
      }
      return true;
    });
  }
})();
