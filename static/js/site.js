// Small behaviours every page may use, kept out of the markup so that the
// Content-Security-Policy allows no inline script and no style attribute:
//   data-bar-width="37.5"  a bar's width in per cent (set through CSSOM, which CSP allows)
//   data-rows="12"         a chart's height for that many rows of bars
//   data-print             a button that prints the page
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
})();
