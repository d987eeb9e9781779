// Polls a report job and downloads the file as soon as it is ready.
(function () {
  "use strict";
  var box = document.getElementById("report-progress");
  if (!box) { return; }
  var started = Date.now();
  var elapsed = document.getElementById("report-elapsed");
  function poll() {
    elapsed.textContent = Math.round((Date.now() - started) / 1000);
    fetch(box.dataset.statusUrl, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (job) {
        if (job.stato === "pronto") {
          box.hidden = true;
          document.getElementById("report-ready").hidden = false;
          window.location.href = box.dataset.fileUrl;
        } else if (job.stato === "errore") {
          box.hidden = true;
          document.getElementById("report-error").hidden = false;
        } else {
          setTimeout(poll, 1000);
        }
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, 500);
})();
