/* Inline formsets (templates/planning/_formset.html): add a row, move rows up/down, renumber «ordine». */
document.querySelectorAll("[data-formset]").forEach(function (box) {
  var prefix = box.dataset.formset;
  var rows = box.querySelector("[data-rows]");
  var total = box.querySelector("#id_" + prefix + "-TOTAL_FORMS");
  function renumber() {
    var n = 0;
    rows.querySelectorAll("[data-row]").forEach(function (row) {
      var input = row.querySelector("input[name$='-ordine']");
      if (input) { n += 1; input.value = n; }
    });
  }
  box.querySelector("[data-add]").addEventListener("click", function () {
    var html = box.querySelector("template[data-empty]").innerHTML.replace(/__prefix__/g, total.value);
    rows.insertAdjacentHTML("beforeend", html);
    total.value = parseInt(total.value, 10) + 1;
    renumber();
    var first = rows.lastElementChild.querySelector("input:not([type=hidden]), textarea, select");
    if (first) { first.focus(); }
  });
  rows.addEventListener("click", function (event) {
    var button = event.target.closest("[data-move]");
    if (!button) { return; }
    var row = button.closest("[data-row]");
    if (button.dataset.move === "-1" && row.previousElementSibling) { rows.insertBefore(row, row.previousElementSibling); }
    if (button.dataset.move === "1" && row.nextElementSibling) { rows.insertBefore(row.nextElementSibling, row); }
    renumber();
    button.focus();
  });
});
