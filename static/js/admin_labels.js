// Names for the Django admin's form controls that its own markup leaves unnamed, for screen
// readers (axe-core: label, aria-prohibited-attr), written here because Django offers no
// option for it: a tabular inline's boxes take their column's header (删除？ too); the date and time
// boxes of a split date-time field take the field's name; the search icon of a
// filter_horizontal selector, a span with an aria-label, is given the role of an image.
// Runs on every admin page (templates/admin/base_site.html) and again as widgets are drawn.
(function () {
  "use strict";

  function named(el) {
    if (el.getAttribute("aria-label") || el.getAttribute("aria-labelledby") || el.title) return true;
    if (el.closest("label")) return true;
    return !!(el.id && document.querySelector('label[for="' + CSS.escape(el.id) + '"]'));
  }

  function text(node) {
    return node ? node.textContent.replace(/[\s:：*]+$/, "").trim() : "";
  }

  function columnName(el) {
    var cell = el.closest("td");
    var table = cell && cell.closest("table");
    if (!table) return "";
    var field = Array.prototype.find.call(cell.classList, function (c) {
      return c.indexOf("field-") === 0;
    });
    var head = field && table.querySelector("thead th.column-" + field.slice(6));
    if (!head && cell.classList.contains("delete")) {
      var heads = table.querySelectorAll("thead th"); // 删除？ is the last column
      head = heads[heads.length - 1];
    }
    if (!head) return "";
    var row = cell.closest("tr");
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr.form-row"));
    var n = rows.indexOf(row);
    return text(head) + (n >= 0 ? "（第 " + (n + 1) + " 行）" : "");
  }

  function fieldName(el) {
    var box = el.closest("fieldset.flex-container, .form-row, .fieldBox");
    if (!box) return "";
    var legend = box.querySelector("legend, label");
    var name = text(legend);
    if (name && el.closest(".datetime")) {
      name += /_1$/.test(el.id) ? "（时间）" : "（日期）";
    }
    return name;
  }

  function fix(root) {
    root.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (el) {
      if (named(el)) return;
      var name = columnName(el) || fieldName(el);
      if (name) el.setAttribute("aria-label", name);
    });
    root.querySelectorAll(".selector .help-tooltip[aria-label]:not([role])").forEach(function (el) {
      el.setAttribute("role", "img");
    });
  }

  function start() {
    fix(document);
    var pending = false;
    new MutationObserver(function () {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        fix(document);
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
