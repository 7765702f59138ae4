// Follows a background job (a report run, a batch of certificates, a mailing being sent)
// on the page that shows it: polls the job's status row until the job is no longer active.
// The page describes what to fill in, so that one script serves every such page:
//   data-follow-job, data-status-url, data-active="true|false"  the element around the job;
//   data-job-field="name"    shows the answer's field: a <progress> its value, others the text;
//   data-job-download        the link shown (with its address) once the answer names a file;
//   data-job-while-active    hidden once the job has stopped (the cancel button).
(function () {
  "use strict";
  function follow(box) {
    var url = box.dataset.statusUrl;
    function update(data) {
      box.querySelectorAll("[data-job-field]").forEach(function (element) {
        var value = data[element.dataset.jobField];
        if (element.tagName === "PROGRESS") { element.value = value; } else { element.textContent = value; }
      });
      var link = box.querySelector("[data-job-download]");
      if (link && data.download_url) {
        link.href = data.download_url;
        link.hidden = false;
      }
      if (!data.active) {
        box.querySelectorAll("[data-job-while-active]").forEach(function (element) { element.hidden = true; });
      }
      return data.active;
    }
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) { if (update(data)) { window.setTimeout(poll, 1000); } })
        .catch(function () { window.setTimeout(poll, 3000); });
    }
    poll();
  }
  document.querySelectorAll("[data-follow-job]").forEach(function (box) {
    if (box.dataset.active === "true") { follow(box); }
  });
}());
