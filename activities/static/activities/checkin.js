// Check-in at the door: the personal code typed or read from a QR code with the phone's
// camera (jsQR, served from static/) is posted to the portal, which answers whether the
// person is now checked in, was already, or is not on the list. Without JavaScript the
// code form and the search by name still work as plain forms.
(function () {
  "use strict";
  var box = document.getElementById("checkin");
  if (!box) { return; }
  var scanUrl = box.dataset.scanUrl;
  var csrf = box.querySelector("input[name=csrfmiddlewaretoken]").value;
  var result = document.getElementById("checkin-result");
  var count = document.getElementById("checkin-count");
  var form = document.getElementById("code-form");
  var input = document.getElementById("id_code");
  var toggle = document.getElementById("scan-toggle");
  var video = document.getElementById("scan-video");
  var canvas = document.getElementById("scan-canvas");
  var stream = null;
  var busy = false;
  var lastCode = "";
  var lastAt = 0;

  function show(data) {
    result.className = "checkin-result " + data.result;
    result.textContent = data.message;
    result.hidden = false;
    if (typeof data.checked_in === "number") {
      count.textContent = box.dataset.countTemplate.replace("__N__", String(data.checked_in));
    }
    if (navigator.vibrate && data.result !== "ok") { navigator.vibrate(200); }
  }

  function submitCode(code) {
    busy = true;
    var body = new URLSearchParams();
    body.set("code", code);
    return fetch(scanUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "Accept": "application/json" },
      body: body
    })
      .then(function (response) { return response.json(); })
      .then(show)
      .catch(function () { show({ result: "refused", message: box.dataset.networkError }); })
      .then(function () { busy = false; });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var code = input.value.trim();
    if (!code) { return; }
    submitCode(code).then(function () { input.value = ""; input.focus(); });
  });

  function tick() {
    if (!stream) { return; }
    if (video.readyState === video.HAVE_ENOUGH_DATA && !busy) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      var context = canvas.getContext("2d", { willReadFrequently: true });
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      var now = Date.now();
      // The same code in front of the camera is read many times a second: post it once,
      // and again only after a pause (a second scan then says "already checked in").
      if (found && found.data && (found.data !== lastCode || now - lastAt > 4000)) {
        lastCode = found.data;
        lastAt = now;
        submitCode(found.data);
      }
    }
    window.requestAnimationFrame(tick);
  }

  function stop() {
    if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
    stream = null;
    video.hidden = true;
    toggle.textContent = box.dataset.startLabel;
  }

  function start() {
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        video.hidden = false;
        toggle.textContent = box.dataset.stopLabel;
        return video.play();
      })
      .then(function () { window.requestAnimationFrame(tick); })
      .catch(function () { stop(); show({ result: "refused", message: box.dataset.cameraError }); });
  }

  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia && window.jsQR) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () { if (stream) { stop(); } else { start(); } });
  }
}());
