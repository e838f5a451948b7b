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
      const field = form.elements[name];
      if (!field) continue;
      if (field.type === "checkbox") field.checked = value; else field.value = value;
    }
    later();
  });
  form.addEventListener("input", event => { if (event.target.name !== "preset") later(); });
  form.addEventListener("change", event => { if (event.target.name !== "preset") later(); });
  preview();
})();
