// The office's ballot page and the results page: the published results as a chart (its
// figures in a json_script block named by data-chart), and while the ballot is open the
// turnout refreshed from data-poll every five seconds; when the ballot moves on, the page
// reloads.
(function () {
  "use strict";
  const results = document.querySelector("#results-chart[data-chart]");
  if (results) {
    const data = JSON.parse(document.getElementById(results.dataset.chart).textContent);
    ballotCharts.results(results, data);
  }
  const turnout = document.querySelector("#turnout-chart[data-poll]");
  if (!turnout) return;
  async function poll() {
    try {
      const response = await fetch(turnout.dataset.poll, { cache: "no-store" });
      if (!response.ok) return;
      const data = await response.json();
      if (data.status !== "open") { window.location.reload(); return; }
      document.getElementById("turnout-count").textContent = data.voted + " / " + data.eligible;
      (data.groups || []).forEach(function (g) {
        document.querySelectorAll("[data-group-turnout]").forEach(function (cell) {
          if (cell.dataset.groupTurnout === g.name) cell.textContent = g.voted + " / " + g.eligible;
        });
      });
      ballotCharts.turnout(turnout, data, { fontSize: 16, compact: true });
      const names = data.not_voted || [];
      document.getElementById("not-voted-count").textContent = names.length;
      document.querySelector("[data-testid=not-voted]").textContent = names.length ? names.join("、") : "全部已投票。";
    } catch (e) { /* keep the last figures on a network hiccup */ }
  }
  poll();
  setInterval(poll, 5000);
})();
