// Live computation of a scheda quadro: sends the unsaved values, shows computed cells and messages.
(function () {
  "use strict";
  var form = document.getElementById("scheda-form");
  if (!form) { return; }
  var url = form.dataset.computeUrl;
  var timer = null;
  var pending = null;

  function formatCount(n) { return n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, "."); }

  function updateCounters() {
    form.querySelectorAll("[data-counter-for]").forEach(function (counter) {
      var field = document.getElementById(counter.dataset.counterFor);
      var max = parseInt(field.dataset.maxLength, 10);
      var len = field.value.length;
      counter.textContent = formatCount(len) + " / " + formatCount(max) + " caratteri" + (len > max ? " — oltre il limite" : "");
      counter.classList.toggle("text-danger", len > max);
    });
  }

  function render(data) {
    Object.keys(data.computed).forEach(function (key) {
      var out = form.querySelector('[data-cell="' + key + '"]');
      if (out && out.textContent !== data.computed[key]) { out.textContent = data.computed[key]; }
    });
    form.querySelectorAll("[data-messages]").forEach(function (list) {
      var items = data.messages[list.dataset.messages] || [];
      list.innerHTML = "";
      items.forEach(function (m) {
        var li = document.createElement("li");
        li.className = m.severity === "error" ? "text-danger" : "text-warning-emphasis";
        li.textContent = (m.severity === "error" ? "Errore: " : "Avviso: ") + m.text;
        list.appendChild(li);
      });
      var cell = list.closest("td");
      if (cell) { cell.classList.toggle("has-error", items.some(function (m) { return m.severity === "error"; })); }
    });
    var e = form.querySelector('[data-summary="errors"]');
    var w = form.querySelector('[data-summary="warnings"]');
    if (e) { e.textContent = data.errors; }
    if (w) { w.textContent = data.warnings; }
  }

  function compute() {
    if (pending) { pending.abort(); }
    pending = new AbortController();
    fetch(url, { method: "POST", body: new FormData(form), signal: pending.signal, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { render(data); } })
      .catch(function () {});
  }

  form.addEventListener("input", function (event) {
    if (event.target.name && event.target.name.indexOf("v-") === 0) {
      var prefilled = event.target.parentNode.querySelector(".badge.bg-info");
      if (prefilled) { prefilled.remove(); }
    }
    updateCounters();
    clearTimeout(timer);
    timer = setTimeout(compute, 250);
  });
  form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(compute, 50); });
  updateCounters();
})();
