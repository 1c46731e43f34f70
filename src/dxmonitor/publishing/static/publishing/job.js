// The round page's report job: ask where it is every second until it ends, then show the page again with its files.
(function () {
  "use strict";
  var box = document.querySelector("[data-job-url]");
  if (!box) return;
  var url = box.getAttribute("data-job-url");
  function part(name) { return box.querySelector('[data-job="' + name + '"]'); }
  function show(job) {
    part("state").textContent = job.state_text;
    part("step").textContent = job.step_text;
    part("progress").value = job.progress;
    part("percent").textContent = job.progress + "%";
    if (job.error) { part("error").textContent = job.error; part("error").hidden = false; }
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (job) {
        show(job);
        if (job.finished) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
