// The voting page's counter (已选 n / N), and the member's receipt kept in this browser so
// that 核对回执 finds it once the results are published. Only the receipt is kept, never
// what was chosen; the server's pages are the same bytes whatever was chosen.
(function () {
  "use strict";
  const count = document.getElementById("picked-count");
  if (count) {
    const form = count.closest("form");
    const update = function () {
      const names = new Set(Array.from(form.querySelectorAll("input[type=radio]"), (i) => i.name));
      let picked = 0;
      names.forEach(function (name) {
        if (form.querySelector('input[name="' + name + '"]:checked')) picked += 1;
      });
      count.textContent = String(picked);
      count.parentElement.classList.toggle("text-success", picked === names.size);
    };
    form.addEventListener("change", update);
    update();
  }

  const receipt = document.querySelector("[data-receipt]");
  if (receipt) {
    try {
      localStorage.setItem("receipt:" + receipt.dataset.receiptBallot, receipt.dataset.receipt);
    } catch (e) { /* private mode: the member copies the code by hand */ }
  }

  const check = document.querySelector("[data-receipt-form]");
  if (check) {
    const input = check.querySelector("input[name=code]");
    let stored = null;
    try { stored = localStorage.getItem("receipt:" + check.dataset.receiptForm); } catch (e) { stored = null; }
    if (stored && !input.value) {
      input.value = stored;
      check.submit();
    }
  }
})();
