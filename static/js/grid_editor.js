// 逐行填写: a table of inputs above the paste box (shown only with JavaScript). On submit,
// each filled row becomes one tab-separated line appended to the paste box, so the rows
// are checked and previewed exactly as pasted ones are.
(function () {
  "use strict";
  document.querySelectorAll("form[data-grid]").forEach(function (form) {
    const editor = form.querySelector(".grid-editor");
    const table = document.getElementById(form.dataset.grid);
    const textarea = form.querySelector("textarea");
    if (!editor || !table || !textarea) return;
    editor.hidden = false;
    textarea.required = false;
    const body = table.querySelector("tbody");
    const blank = body.querySelector(".grid-row").cloneNode(true);

    editor.addEventListener("click", function (event) {
      if (event.target.closest(".grid-add")) {
        const row = blank.cloneNode(true);
        body.appendChild(row);
        row.querySelector("input").focus();
      } else if (event.target.closest(".grid-remove")) {
        const row = event.target.closest(".grid-row");
        if (body.querySelectorAll(".grid-row").length > 1) row.remove();
        else row.querySelectorAll("input").forEach(function (i) { i.value = ""; });
      }
    });

    form.addEventListener("submit", function () {
      const lines = [];
      body.querySelectorAll(".grid-row").forEach(function (row) {
        const cells = Array.from(row.querySelectorAll("[data-col]"));
        const typed = cells.some(function (c) { return c.tagName === "INPUT" && c.value.trim(); });
        if (typed) lines.push(cells.map(function (c) { return c.value.trim(); }).join("\t"));
        row.querySelectorAll("input").forEach(function (i) { i.value = ""; });
      });
      if (lines.length) {
        const text = textarea.value.replace(/\s+$/, "");
        textarea.value = (text ? text + "\n" : "") + lines.join("\n");
      }
    });
  });
})();
