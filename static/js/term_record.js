// 届内履职评议档案: the satisfaction rate of each campaign of the term as a line (ECharts,
// vendored). Data comes from the page's json_script block; campaigns without a published
// result are gaps in the line.
(function () {
  "use strict";
  const el = document.getElementById("term-trend");
  const source = document.getElementById("term-trend-data");
  if (!el || !source || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  const chart = window.echarts.init(el);
  chart.setOption({
    grid: { left: 48, right: 16, top: 24, bottom: 56, containLabel: true },
    tooltip: {
      trigger: "axis",
      formatter: function (items) {
        const p = data.points[items[0].dataIndex];
        return p.campaign + "<br>" + (p.rate === null ? "结果未公布" : p.rate + "%（" + p.outcome + "）");
      },
    },
    xAxis: {
      type: "category",
      data: data.points.map(function (p) { return p.campaign; }),
      axisLabel: { interval: 0, width: 120, overflow: "break" },
    },
    yAxis: { type: "value", min: 0, max: 100, name: "满意率（%）" },
    series: [
      {
        type: "line",
        connectNulls: false,
        label: { show: true, formatter: "{c}%" },
        data: data.points.map(function (p) { return p.rate; }),
      },
    ],
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
