// Filters for generated index tables (the meta-inference index). Works offline;
// without JavaScript every row stays visible and the filters stay hidden.
(function () {
  function setUp() {
    document.querySelectorAll(".gen-filters[data-filter-for]").forEach(function (box) {
      var table = document.getElementById(box.getAttribute("data-filter-for"));
      if (!table || box.dataset.ready) return;
      box.dataset.ready = "1";
      box.hidden = false;
      var selects = box.querySelectorAll("select[data-filter]");
      var count = box.querySelector(".gen-filter-count");
      function apply() {
        var shown = 0, rows = table.tBodies[0].rows;
        for (var i = 0; i < rows.length; i++) {
          var keep = true;
          selects.forEach(function (select) {
            var want = select.value;
            var have = (rows[i].getAttribute("data-" + select.getAttribute("data-filter")) || "").split(" ");
            if (want && have.indexOf(want) < 0) keep = false;
          });
          rows[i].hidden = !keep;
          if (keep) shown++;
        }
        if (count) count.textContent = shown + " of " + rows.length + " shown";
      }
      selects.forEach(function (select) { select.addEventListener("change", apply); });
      apply();
    });
  }
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(setUp); } else { document.addEventListener("DOMContentLoaded", setUp); }
})();
