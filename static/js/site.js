// Small behaviours every page may use, kept out of the markup so that the
// Content-Security-Policy allows no inline script and no style attribute:
//   data-bar-width="37.5"  a bar's width in per cent (set through CSSOM, which CSP allows)
//   data-rows="12"         a chart's height for that many rows of bars
//   data-print             a button that prints the page
//   data-reload-after="2"  the page reloads after that many seconds (a PDF being made);
//                          not while the user is typing in a field
(function () {
  "use strict";
  document.querySelectorAll("[data-bar-width]").forEach(function (el) {
    el.style.width = el.dataset.barWidth + "%";
  });
  document.querySelectorAll("[data-rows]").forEach(function (el) {
    el.style.height = "calc(" + Number(el.dataset.rows) + " * 2.4rem + 5rem)";
  });
  document.querySelectorAll("[data-print]").forEach(function (el) {
    el.addEventListener("click", function () { window.print(); });
  });
  var reload = document.querySelector("[data-reload-after]");
  if (reload) {
    var again = function () {
      var active = document.activeElement;
      if (active && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName)) {
        window.setTimeout(again, 2000);
      } else {
        window.location.reload();
      }
    };
    window.setTimeout(again, Number(reload.dataset.reloadAfter) * 1000);
  }
})();

// A table's own scroller is reachable by keyboard (WCAG 2.1.1: it can be scrolled with
// the arrow keys once focused) and says what it holds.
(function () {
  "use strict";
  document.querySelectorAll(".table-responsive, .scroll-box-14").forEach(function (el) {
    if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "0");
    if (!el.hasAttribute("role")) el.setAttribute("role", "region");
    if (!el.hasAttribute("aria-label")) {
      var caption = el.querySelector("caption");
      var heading = el.previousElementSibling;
      var name = caption ? caption.textContent : (heading && /^H[1-6]$/.test(heading.tagName) ? heading.textContent : "");
      el.setAttribute("aria-label", (name.trim() || "表格") + "（可左右滚动）");
    }
  });
  // Tables shown as one card per row on a phone (.table-cards): each cell names its column.
  document.querySelectorAll("table.table-cards").forEach(function (table) {
    var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    table.querySelectorAll("tbody tr").forEach(function (tr) {
      Array.prototype.forEach.call(tr.children, function (cell, i) {
        if (heads[i] && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", heads[i]);
      });
    });
  });
})();

// The voting page's sticky 已选/下一步 bar never hides the option the keyboard is on: an
// option that lands under it is brought to the middle of the screen.
(function () {
  "use strict";
  var bar = document.querySelector(".vote-bar");
  if (!bar) return;
  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (bar.contains(target)) return;
    var shown = (target.labels && target.labels[0]) || target;
    var box = shown.getBoundingClientRect();
    var edge = bar.getBoundingClientRect();
    if (box.bottom > edge.top && box.top < edge.bottom) {
      shown.scrollIntoView({ block: "center", behavior: "instant" });
    }
  });
})();
