// The job page (templates/jobs/show.html): poll the job's JSON every two seconds until it is done or failed.
// Without script, a <noscript> refresh reloads the page instead.
(function () {
  var box = document.getElementById("job");
  if (!box || box.getAttribute("data-finished") === "yes") { return; }
  var url = box.getAttribute("data-status-url");
  function part(name) { return box.querySelector('[data-job="' + name + '"]'); }
  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (job) {
        if (!job) { window.setTimeout(poll, 4000); return; }  // a passing error: ask again a little later
        part("status").textContent = job.status;
        var bar = part("progress");
        bar.max = job.total || 1;
        bar.value = job.done;
        part("count").textContent = job.done + " of " + job.total;
        if (job.status === "done" || job.status === "failed") {
          window.location.reload();  // the server renders the outcome
        } else {
          window.setTimeout(poll, 2000);
        }
      }, function () { window.setTimeout(poll, 4000); });
  }
  window.setTimeout(poll, 1000);
}());
