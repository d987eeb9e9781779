// Progress page of a job (templates/jobs/detail.html): polls its status, shows step n of m, downloads the file
// when ready, shows the error and «Riprova» on failure. Polling stops after data-poll-limit polls (or after
// repeated network errors) with a message saying what happened and where to find the file.
(function () {
  "use strict";
  var box = document.getElementById("job-progress");
  if (!box) { return; }
  var bar = document.getElementById("job-bar");
  var step = document.getElementById("job-step");
  var interval = parseInt(box.dataset.pollInterval, 10) || 1000;
  var limit = parseInt(box.dataset.pollLimit, 10) || 900;
  var polls = 0;
  var failures = 0;

  function stop(message) {
    var stopped = document.getElementById("job-stopped");
    stopped.textContent = message;
    stopped.hidden = false;
    bar.classList.remove("progress-bar-animated");
  }

  function show(job) {
    bar.style.width = job.percentuale + "%";
    bar.setAttribute("aria-valuenow", job.percentuale);
    if (job.stato === "in_coda") {
      step.textContent = "In coda: il lavoro partirà appena un processo di lavoro è libero" +
        (job.tentativi > 1 ? " (tentativo " + job.tentativi + ")." : ".");
    } else if (job.passi) {
      step.textContent = "Passo " + job.passo + " di " + job.passi + (job.descrizione ? ": " + job.descrizione : "") +
        (job.tentativi > 1 ? " (tentativo " + job.tentativi + ")." : ".");
    }
  }

  function finish(job) {
    box.hidden = true;
    if (job.stato === "errore") {
      document.getElementById("job-error-text").textContent = job.errore;
      document.getElementById("job-error").hidden = false;
      return;
    }
    var done = document.getElementById("job-done");
    document.getElementById("job-ready").hidden = false;
    if (job.download_url) {
      done.textContent = "Il file è pronto: il download parte da solo.";
      document.getElementById("job-download").href = job.download_url;
      document.getElementById("job-download-box").hidden = false;
      window.location.href = job.download_url;
    } else {
      done.textContent = "Lavoro completato" + (job.esito ? ": " + job.esito : "") + ".";
    }
  }

  function poll() {
    polls += 1;
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (job) {
        failures = 0;
        show(job);
        if (job.stato === "pronto" || job.stato === "errore") { finish(job); return; }
        if (polls >= limit) {
          stop("La pagina ha smesso di aggiornarsi dopo " + Math.round(polls * interval / 60000) +
            " minuti: il lavoro è ancora in corso. Lo ritroverà in «I miei report» appena pronto.");
          return;
        }
        setTimeout(poll, interval);
      })
      .catch(function () {
        failures += 1;
        if (failures >= 10 || polls >= limit) {
          stop("Il portale non risponde: la pagina ha smesso di aggiornarsi. Il lavoro prosegue; ricarichi la " +
            "pagina più tardi o lo cerchi in «I miei report».");
          return;
        }
        setTimeout(poll, interval * 2);
      });
  }
  setTimeout(poll, Math.min(interval, 500));
})();
