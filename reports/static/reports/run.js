// Follows a report run: polls its status until it has finished, then shows the download link.
(function () {
  "use strict";
  var box = document.getElementById("run");
  if (!box || box.dataset.active !== "true") { return; }
  var url = box.dataset.statusUrl;
  function update(data) {
    document.getElementById("run-progress").value = data.progress;
    document.getElementById("run-percent").textContent = data.progress;
    document.getElementById("run-step").textContent = data.step;
    document.getElementById("run-status").textContent = data.status_display;
    document.getElementById("run-message").textContent = data.message;
    if (data.download_url) {
      var link = document.getElementById("run-download");
      link.href = data.download_url;
      link.hidden = false;
    }
    return data.status === "queued" || data.status === "running";
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) { if (update(data)) { window.setTimeout(poll, 1000); } })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  poll();
}());
