// Irreversible actions ask first: a form (or its submit button) with data-confirm shows
// the sentence and submits only when the user agrees.
document.addEventListener(
  "submit",
  function (event) {
    const button = event.submitter;
    const text = (button && button.dataset.confirm) || event.target.dataset.confirm;
    if (text && !window.confirm(text)) event.preventDefault();
  },
  true,
);
