// The ballot setup form's rule builder: a preset fills the rule fields, and every change
// asks the server (form data-preview) for the rule as a sentence and its problems.
(() => {
  "use strict";
  const form = document.getElementById("ballot-setup");
  if (!form) return;
  const presets = JSON.parse(document.getElementById("rule-presets").textContent);
  const text = document.getElementById("rule-text"), problems = document.getElementById("rule-problems");
  let timer = null;
  async function preview() {
    const response = await fetch(form.dataset.preview, {method: "POST", body: new FormData(form)});
    const data = await response.json();
    text.textContent = data.text || "—";
    problems.textContent = data.problems.join("；");
  }
  function later() { clearTimeout(timer); timer = setTimeout(preview, 250); }
  form.elements.preset.addEventListener("change", () => {
    const values = presets[form.elements.preset.value];
    if (!values) return later();
    for (const [name, value] of Object.entries(values)) {
      if (Array.isArray(value)) { fillList(name, value); continue; }
      const field = form.elements[name];
      if (!field) continue;
      if (field.type === "checkbox") field.checked = value; else field.value = value;
    }
    later();
  });
  // A list editor (static/js/list_editor.js) gets one row per label of the preset.
  function fillList(name, labels) {
    const list = document.getElementById("id_" + name);
    if (!list) return;
    const ol = list.querySelector("ol");
    const rows = ol.querySelectorAll(".list-editor-row");
    const template = rows[0];
    rows.forEach((row, i) => { if (i > 0) row.remove(); });
    labels.forEach((label, i) => {
      const row = i === 0 ? template : template.cloneNode(true);
      row.querySelector("input").value = label;
      row.querySelector("input").setAttribute("aria-label", "第 " + (i + 1) + " 项");
      row.querySelector(".list-editor-remove").setAttribute("aria-label", "删除第 " + (i + 1) + " 项");
      if (i > 0) ol.appendChild(row);
    });
  }
  // Rows added or removed change the rule's sentence too.
  form.addEventListener("click", event => {
    if (event.target.closest(".list-editor-add, .list-editor-remove")) later();
  });
  form.addEventListener("input", event => { if (event.target.name !== "preset") later(); });
  form.addEventListener("change", event => { if (event.target.name !== "preset") later(); });
  preview();
})();
