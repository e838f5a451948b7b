// The voting page (issue #22): the member's choices are encrypted here, under the ballot's
// joint key, and only the sheet (ciphertexts and zero-knowledge proofs) is posted. The
// review step runs in the page, so the server sees one request of one size whatever was
// chosen. Data comes from the json_script block "ballot-crypto"; no inline script.

import { canonicalJson, jointKeyLoad, sheetEncrypt, tracker } from "./ballot_crypto.js";

const choose = document.querySelector("[data-vote-form]");
const send = document.querySelector("[data-vote-confirm]");
const config = JSON.parse(document.getElementById("ballot-crypto").textContent);

// The page works only where this module runs: show the form, hide the "ask for paper" note.
document.querySelector("[data-needs-js-message]").hidden = true;
choose.hidden = false;

const groups = Array.from(choose.querySelectorAll("fieldset"));
const error = send.querySelector("[data-testid=vote-error]");

function picked() {
  return groups.map((g) => {
    const on = g.querySelector("input[type=radio]:checked");
    return on ? Number(on.value) : null;
  });
}

choose.addEventListener("submit", (event) => {
  event.preventDefault();
  const choices = picked();
  send.querySelectorAll("[data-slot]").forEach((span) => {
    const [subject, option] = span.dataset.slot.split("-").map(Number);
    const on = choices[subject] === option;
    span.classList.toggle("opt-on", on);
    span.classList.toggle("opt-of", !on);
  });
  choose.hidden = true;
  send.hidden = false;
  error.hidden = true;
  window.scrollTo(0, 0);
});

send.querySelector("[data-vote-edit]").addEventListener("click", () => {
  send.hidden = true;
  choose.hidden = false;
});

let jointKey = null;
send.addEventListener("submit", (event) => {
  event.preventDefault();
  const button = send.querySelector("button[type=submit]");
  button.disabled = true;
  button.textContent = "正在加密…";
  // Let the button repaint before the few hundred milliseconds of arithmetic.
  setTimeout(() => {
    try {
      jointKey = jointKey || jointKeyLoad(config.joint_key);
      const sheet = sheetEncrypt({
        jointKey,
        ballotId: config.ballot_id,
        layout: config.layout,
        choices: picked(),
      });
      send.elements.sheet.value = canonicalJson(sheet);
      try {
        sessionStorage.setItem("tracker:" + config.ballot_id, tracker(sheet));
      } catch (e) { /* private mode: the receipt page shows the tracker anyway */ }
      send.submit();
    } catch (e) {
      error.textContent = "加密失败，未能提交。请刷新页面重试；如仍不行，请向工作人员领取纸质票。";
      error.hidden = false;
      button.disabled = false;
      button.textContent = "确认投票";
    }
  }, 30);
});
