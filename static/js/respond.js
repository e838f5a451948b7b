// A questionnaire, before sending: mark every required question left unanswered and go
// to the first.
(function () {
  "use strict";
  const form = document.querySelector("form[data-questionnaire]");
  if (!form) return;
  const summary = document.getElementById("missing-summary");
  function mark() {
    const missing = [];
    form.querySelectorAll("fieldset[data-required]").forEach(function (set) {
      const answered = set.querySelector("input:checked") !== null;
      set.classList.toggle("missing", !answered);
      if (!answered) missing.push(set);
    });
    return missing;
  }
  form.addEventListener("change", function (event) {
    const set = event.target.closest("fieldset[data-required]");
    if (set && set.querySelector("input:checked")) set.classList.remove("missing");
  });
  form.addEventListener("submit", function (event) {
    const missing = mark();
    if (!missing.length) return;
    event.preventDefault();
    summary.textContent = "还有 " + missing.length + " 题必答题未作答，已用红框标出。";
    summary.hidden = false;
    missing[0].scrollIntoView({ behavior: "smooth", block: "center" });
  });
})();
