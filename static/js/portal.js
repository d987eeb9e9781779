/* Wide tables scroll inside their container (.table-responsive, .table-container; static/css/portal.css). When a
   container really scrolls, keyboard users must be able to reach and scroll it (WCAG 2.1.1, axe rule
   scrollable-region-focusable): it becomes a focusable region named by the table's caption. Checked again when
   its size or its table's changes (window resized, web fonts loaded, details opened). */
(function () {
  "use strict";
  var boxes = document.querySelectorAll(".table-responsive, .table-container");
  if (!boxes.length) return;

  function name(box) {
    var caption = box.querySelector("caption");
    var text = caption ? caption.textContent.replace(/\s+/g, " ").trim() : "";
    return (text || "Tabella") + " (scorre in orizzontale)";
  }

  function update(box) {
    var scrolls = box.scrollWidth > box.clientWidth + 1;
    if (scrolls && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", name(box));
      box.dataset.scorrevole = "1";
    } else if (!scrolls && box.dataset.scorrevole) {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
      delete box.dataset.scorrevole;
    }
  }

  boxes.forEach(update);
  if ("ResizeObserver" in window) {
    // The box and its table: the table grows without the box when the web fonts arrive.
    var observer = new ResizeObserver(function (entries) {
      entries.forEach(function (entry) {
        update(entry.target.matches(".table-responsive, .table-container") ? entry.target
          : entry.target.parentElement.closest(".table-responsive, .table-container"));
      });
    });
    boxes.forEach(function (box) {
      observer.observe(box);
      var table = box.querySelector("table");
      if (table) observer.observe(table);
    });
  }
})();
