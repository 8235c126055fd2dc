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
        // the words come from the page, in its language: "%(shown)s of %(total)s shown"
        if (count) count.textContent = count.getAttribute("data-msg-shown").replace("%(shown)s", shown).replace("%(total)s", rows.length);
      }
      selects.forEach(function (select) { select.addEventListener("change", apply); });
      apply();
    });
  }
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(setUp); } else { document.addEventListener("DOMContentLoaded", setUp); }
})();

// The framework matrix: choose the view (sites as rows, codes as rows, a list
// per site), which themes and sites to show, and say how many columns lie
// beyond the right edge. Without JavaScript the table shows on wide screens and
// the list on narrow ones (generator.css).
(function () {
  function setUp() {
    document.querySelectorAll(".gen-matrix-box").forEach(function (box) {
      if (box.dataset.ready) return;
      box.dataset.ready = "1";
      var tools = box.querySelector(".gen-matrix-tools");
      var views = box.querySelectorAll("[data-view]");
      var more = box.querySelector(".gen-matrix-more");
      var radios = box.querySelectorAll("input[name=gen-matrix-view]");
      var chosen = box.querySelectorAll("input[data-choose]");
      // The line's words come from the page, in its language, with the plural form for each count chosen
      // when the page was built (data-msg-*: JSON, the n-th entry for n columns).
      function message(name) { return JSON.parse(more.getAttribute("data-msg-" + name)); }
      var words = { rightCodes: message("right-codes"), rightSites: message("right-sites"), left: message("left"),
                    scroll: message("scroll") };
      tools.hidden = false;
      var narrow = window.matchMedia("(max-width: 44.9375em)").matches;
      radios.forEach(function (radio) { radio.checked = radio.value === (narrow ? "list" : "sites"); });

      function current() {
        var value = "sites";
        radios.forEach(function (radio) { if (radio.checked) value = radio.value; });
        return value;
      }
      function wanted(kind) {
        var on = {};
        chosen.forEach(function (input) { if (input.dataset.choose === kind && input.checked) on[input.value] = true; });
        return on;
      }
      function apply() {
        var view = current(), themes = wanted("theme"), sites = wanted("site");
        var hideUnwritten = box.querySelector("input[data-choose=unwritten]").checked;
        views.forEach(function (el) { el.hidden = el.dataset.view !== view; });
        box.querySelectorAll("[data-theme], [data-site], [data-unwritten]").forEach(function (el) {
          if (el.classList.contains("gen-matrix-group") && el.dataset.span) return;
          var keep = (!el.dataset.theme || themes[el.dataset.theme]) && (!el.dataset.site || sites[el.dataset.site]) &&
            !(hideUnwritten && el.hasAttribute("data-unwritten"));
          el.hidden = !keep;
        });
        // A theme's heading spans only its codes still shown.
        box.querySelectorAll(".gen-matrix-group[data-span]").forEach(function (th) {
          var shown = 0;
          box.querySelectorAll("thead .gen-matrix-code[data-theme]").forEach(function (code) {
            if (code.dataset.theme === th.dataset.theme && !code.hidden) shown++;
          });
          th.hidden = shown === 0;
          th.colSpan = Math.max(shown, 1);
        });
        var siteCount = box.querySelectorAll("thead .gen-matrix-site-head:not([hidden])").length;
        box.querySelectorAll(".gen-matrix-theme-row th").forEach(function (th) { th.colSpan = siteCount + 1; });
        var head = box.querySelector(".gen-matrix-wrap[data-view=sites] thead tr");
        if (head && head.offsetHeight) box.style.setProperty("--gen-head-row", head.offsetHeight + "px");
        count();
      }
      function count() {
        var view = current();
        var wrap = box.querySelector(".gen-matrix-wrap[data-view=" + view + "]");
        if (!wrap || wrap.hidden) { more.textContent = ""; return; }
        var selector = view === "sites" ? "thead .gen-matrix-code" : "thead .gen-matrix-site-head";
        var edge = wrap.scrollLeft + wrap.clientWidth, left = 0, right = 0;
        var sticky = wrap.querySelector(".gen-matrix-corner").offsetWidth;
        wrap.querySelectorAll(selector).forEach(function (th) {
          if (th.hidden) return;
          if (th.offsetLeft + th.offsetWidth / 2 > edge) right++;
          else if (th.offsetLeft + th.offsetWidth / 2 < wrap.scrollLeft + sticky) left++;
        });
        var parts = [];
        if (right) parts.push((view === "sites" ? words.rightCodes : words.rightSites)[right] || "");
        if (left) parts.push(words.left[left] || "");
        more.textContent = parts.length ? words.scroll.replace("%(where)s", parts.join(", ")) : "";
      }
      radios.forEach(function (radio) { radio.addEventListener("change", apply); });
      chosen.forEach(function (input) { input.addEventListener("change", apply); });
      box.querySelectorAll(".gen-matrix-wrap").forEach(function (wrap) { wrap.addEventListener("scroll", count, { passive: true }); });
      window.addEventListener("resize", count);
      apply();
    });
  }
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(setUp); } else { document.addEventListener("DOMContentLoaded", setUp); }
})();

// The navigation drawer of narrow screens, by keyboard. Material opens it, and each section's panel within it,
// with a <label> for a hidden checkbox, which the keyboard never reaches; shut panels sit off screen yet keep
// their links in the Tab order (generator.css takes them out). Here the header's menu label gives way to a
// real button (named as the navigation is, in the page's language, from Material; it says whether the drawer
// is open): Tab reaches it, Enter or Space opens the drawer and moves the focus into it, Escape shuts it and
// gives the focus back. While the drawer is in use (narrow screens) the labels of its sections, and the
// titles of their panels (the way back), take the focus as Material's own labels of nested pages do; Enter
// or Space opens or shuts their panel and moves the focus into it or back to the section.
(function () {
  var drawerMode = window.matchMedia("(max-width: 76.234375em)");

  function press(element, action) {
    element.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" && event.key !== " ") return;
      if (!action()) return;
      // (stopped here: Material's own keyboard handler would click a focused label on Enter, a second toggle)
      event.preventDefault();
      event.stopPropagation();
    });
  }
  function set(toggle, open) {
    toggle.checked = open;
    toggle.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function setUp() {
    var drawer = document.getElementById("__drawer");
    var label = document.querySelector('.md-header label.md-header__button[for="__drawer"]');
    var sidebar = document.querySelector(".md-sidebar--primary");
    if (!drawer || !label || !sidebar || label.dataset.ready) return;
    label.dataset.ready = "1";
    var nav = sidebar.querySelector("nav.md-nav--primary[aria-label]");

    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-header__button md-icon gen-drawer-button";
    button.setAttribute("aria-controls", sidebar.id || (sidebar.id = "gen-drawer"));
    if (nav) button.setAttribute("aria-label", nav.getAttribute("aria-label"));
    button.innerHTML = label.innerHTML;  // Material's own menu icon
    label.parentNode.insertBefore(button, label);
    label.classList.add("gen-replaced");
    function sync() { button.setAttribute("aria-expanded", drawer.checked ? "true" : "false"); }
    button.addEventListener("click", function () { set(drawer, !drawer.checked); });
    press(button, function () {
      set(drawer, !drawer.checked);
      var first = drawer.checked && sidebar.querySelector("a[href], label[tabindex='0']");
      if (first) first.focus({ preventScroll: true });  // (no scroll: it is still sliding in)
      return true;
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && drawer.checked) { set(drawer, false); button.focus(); }
    });
    drawer.addEventListener("change", sync);
    sync();

    // the sections' labels (each opens a panel: a section's pages, or the page's contents) and the panels'
    // titles (back to the level above); the drawer's own title holds a link home and stays a plain label
    var labels = Array.prototype.slice.call(sidebar.querySelectorAll(
      'label.md-nav__link[for]:not([for="__drawer"]), label.md-nav__title[for]:not([for="__drawer"])'));
    var material = labels.map(function (l) { return l.getAttribute("tabindex"); });
    function reachable() {  // wide screens: sections are headings, Material's markup as it was
      labels.forEach(function (l, i) {
        if (drawerMode.matches) l.setAttribute("tabindex", "0");
        else if (material[i] === null) l.removeAttribute("tabindex");
        else l.setAttribute("tabindex", material[i]);
      });
    }
    labels.forEach(function (l) {
      press(l, function () {
        var toggle = document.getElementById(l.getAttribute("for"));
        if (!drawerMode.matches || !toggle) return false;
        var opening = !l.classList.contains("md-nav__title") && !toggle.checked;
        set(toggle, opening);
        if (opening) {  // into the panel just opened: its title, the way back
          var panel = toggle.parentNode.querySelector("nav.md-nav");
          var first = panel && panel.querySelector("label.md-nav__title[tabindex='0'], a[href]");
          if (first) first.focus({ preventScroll: true });
        } else {  // back to the section's own label
          var own = sidebar.querySelector('label.md-nav__link[for="' + toggle.id + '"]');
          if (own) own.focus({ preventScroll: true });
        }
        return true;
      });
    });
    if (drawerMode.addEventListener) drawerMode.addEventListener("change", reachable);
    reachable();
  }
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(setUp); } else { document.addEventListener("DOMContentLoaded", setUp); }
})();
