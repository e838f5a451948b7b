// The big screen: turnout while the ballot is open, the results once published, polled
// every two seconds from the URL in <main data-poll>.
(function () {
  "use strict";
  const turnoutEl = document.getElementById("turnout-chart");
  const url = document.querySelector("main[data-poll]").dataset.poll;
  const big = function () { return Math.round(window.innerHeight * 0.035); };
  let shown = "";
  function render(data) {
    document.getElementById("status").textContent = data.status_label;
    document.getElementById("turnout-text").textContent =
      data.voted + " / " + data.eligible + " 已投 / 应投，最低参加人数 " + data.quorum;
    // Each voter group voting on the web (deputies with voting codes: codes issued).
    const groups = document.getElementById("group-turnout");
    groups.textContent = (data.groups || []).length > 1
      ? data.groups.map(function (g) { return g.name + " " + g.voted + " / " + g.eligible; }).join("　")
      : "";
    if (data.results.length) {
      document.getElementById("live").style.display = "none";
      document.getElementById("results").style.display = "flex";
      const key = JSON.stringify(data.results);
      if (key !== shown) {
        shown = key;
        // The sentence first, so the chart takes the height that is left.
        document.getElementById("rule").textContent = "结果规则：" + data.rule;
        ballotCharts.results(document.getElementById("results-chart"), data, { fontSize: big() * 0.8 });
        echarts.getInstanceByDom(document.getElementById("results-chart")).resize();
        // The same figures as text, for screen readers and tests.
        const table = document.getElementById("results-table");
        table.textContent = "";
        data.results.forEach(function (r) {
          const row = table.insertRow();
          row.insertCell().textContent = r.subject;
          data.options.forEach(function (o) { row.insertCell().textContent = o + " " + (r.counts[o] || 0); });
          if (r.score !== null && r.score !== undefined) {
            row.insertCell().textContent = "得分 " + Number(r.score).toFixed(2) + " 第 " + r.rank + " 名";
          }
          row.insertCell().textContent = r.outcome;
        });
      }
    } else {
      ballotCharts.turnout(turnoutEl, data, { dark: true, fontSize: big() });
    }
  }
  async function poll() {
    try {
      const response = await fetch(url, { cache: "no-store" });
      if (response.ok) render(await response.json());
    } catch (e) { /* keep the last figures on a network hiccup */ }
  }
  poll();
  setInterval(poll, 2000);
})();
