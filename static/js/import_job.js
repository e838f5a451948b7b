// An import running in the background: its progress polled from data-status-url every
// second; the page reloads when the import is done or has failed.
(function () {
  "use strict";
  var bar = document.getElementById("import-progress");
  if (!bar) return;
  var text = document.getElementById("import-text");
  var url = bar.dataset.statusUrl;
  function poll() {
    fetch(url, {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (s) {
        bar.value = s.percent;
        text.textContent = s.text;
        if (s.status === "done" || s.status === "failed") { window.location.reload(); }
        else { setTimeout(poll, 1000); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();
