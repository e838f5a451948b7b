// Ballot charts (Apache ECharts, vendored in static/vendor/echarts): the turnout ring with
// its quorum mark, and the published results as stacked bars per subject. Shared by the
// big screen, the office's control page and the results page. Only turnout is ever drawn
// before publication: the data endpoints send nothing else.
(function (global) {
  "use strict";
  const GOOD = "#1a7f37";
  const MIDDLE = ["#63b179", "#f0ad4e", "#fd7e14"];
  const BAD = "#dc3545";
  const ABSTAIN = "#adb5bd";

  // Options run from best to worst; the worst (不满意) is always red.
  function colours(options) {
    const real = options.filter((o) => o !== "弃权");
    return options.map(function (o) {
      if (o === "弃权") return ABSTAIN;
      const i = real.indexOf(o);
      if (i === real.length - 1) return BAD;
      if (i === 0) return GOOD;
      return MIDDLE[Math.min(i - 1, MIDDLE.length - 1)];
    });
  }

  function chart(el, theme) {
    return global.echarts.getInstanceByDom(el) || global.echarts.init(el, theme || null);
  }

  // data: {voted, eligible, quorum}; opts: {dark, fontSize, compact (no figures inside)}
  function turnout(el, data, opts) {
    opts = opts || {};
    const max = Math.max(data.eligible, 1);
    const quorum = Math.min(data.quorum || 0, max);
    const reached = data.voted >= quorum;
    const ink = opts.dark ? "#fff" : "#212529";
    const size = opts.fontSize || 32;
    const radius = (Math.min(el.clientWidth, el.clientHeight) / 2) * 0.88;
    const ring = {
      type: "gauge",
      startAngle: 90,
      endAngle: -270,
      min: 0,
      max: max,
      radius: radius,
      axisLine: { lineStyle: { width: size * 0.7, color: [[1, opts.dark ? "rgba(255,255,255,.18)" : "#e9ecef"]] } },
      progress: { show: true, width: size * 0.7, itemStyle: { color: reached ? "#2fb344" : "#f7b924" } },
      pointer: { show: false },
      axisTick: { show: false },
      splitLine: { show: false },
      axisLabel: { show: false },
      anchor: { show: false },
      title: { show: !opts.compact, offsetCenter: [0, "36%"], color: ink, fontSize: size * 0.6 },
      detail: {
        show: !opts.compact,
        valueAnimation: true,
        offsetCenter: [0, "-6%"],
        fontSize: size * 1.6,
        fontWeight: "bold",
        color: ink,
        formatter: function (v) { return Math.round(v) + " / " + data.eligible; },
      },
      data: [{ value: data.voted, name: "已投 / 应投" }],
    };
    // The quorum: a short arc across the ring at the minimum number of participants.
    const at = quorum / max;
    const gap = 0.006;
    const markColour = opts.dark ? "#ffe08a" : "#c00000";
    const mark = {
      type: "gauge",
      startAngle: 90,
      endAngle: -270,
      min: 0,
      max: max,
      radius: radius + size * 0.3,
      axisLine: {
        lineStyle: {
          width: size * 0.7 + size * 0.6,
          color: [
            [Math.max(at - gap, 0), "rgba(0,0,0,0)"],
            [Math.min(at + gap, 1), quorum > 0 ? markColour : "rgba(0,0,0,0)"],
            [1, "rgba(0,0,0,0)"],
          ],
        },
      },
      axisTick: { show: false },
      splitLine: { show: false },
      axisLabel: { show: false },
      pointer: { show: false },
      title: { show: true, offsetCenter: [0, opts.compact ? "0%" : "60%"], color: markColour, fontSize: size * 0.55 },
      detail: { show: false },
      data: [{ value: quorum, name: quorum > 0 ? "最低参加人数 " + data.quorum + (reached ? "（已达到）" : "") : "" }],
    };
    chart(el).setOption({ animationDuration: 400, series: [ring, mark] }, true);
  }

  // data: {options, results: [{subject, counts, outcome, rate}]}; opts: {dark, fontSize}
  function results(el, data, opts) {
    opts = opts || {};
    const ink = opts.dark ? "#fff" : "#212529";
    const size = opts.fontSize || 14;
    const rows = data.results.slice().reverse(); // the first ranked on top
    const palette = colours(data.options);
    const series = data.options.map(function (o, i) {
      return {
        name: o,
        type: "bar",
        stack: "votes",
        barMaxWidth: size * 2.4,
        itemStyle: { color: palette[i] },
        label: { show: true, color: "#fff", fontSize: size * 0.85, formatter: function (p) { return p.value ? p.value : ""; } },
        emphasis: { focus: "series" },
        data: rows.map(function (r) { return r.counts[o] || 0; }),
      };
    });
    // The outcome and rate (or score and rank) at the end of each bar, red for the worst outcome.
    const worst = data.outcomes ? data.outcomes[data.outcomes.length - 1] : data.options[data.options.length - 1];
    series.push({
      name: "结果",
      type: "bar",
      stack: "votes",
      itemStyle: { color: "transparent" },
      tooltip: { show: false },
      label: {
        show: true,
        position: "right",
        fontSize: size,
        fontWeight: "bold",
        formatter: function (p) {
          const r = rows[p.dataIndex];
          // A score rule shows its score and rank (并列 when tied); other rules their rate.
          const rate = r.score !== null && r.score !== undefined
            ? "（" + Number(r.score).toFixed(2) + " 分，第 " + r.rank + " 名）"
            : r.rate === null || r.rate === undefined ? "" : "（" + Number(r.rate).toFixed(1) + "%）";
          return r.outcome === worst ? "{bad|" + r.outcome + rate + "}" : "{ok|" + r.outcome + rate + "}";
        },
        rich: { ok: { color: ink, fontSize: size, fontWeight: "bold" }, bad: { color: BAD, fontSize: size, fontWeight: "bold" } },
      },
      data: rows.map(function () { return 0.0001; }),
    });
    const totals = rows.map(function (r) {
      return data.options.reduce(function (sum, o) { return sum + (r.counts[o] || 0); }, 0);
    });
    const longest = Math.max.apply(null, totals.concat([1]));
    chart(el).setOption({
      animationDuration: 500,
      color: palette,
      // Drawn on the canvas: the HTML tooltip would bring style attributes, which CSP refuses.
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, renderMode: "richText" },
      legend: { top: 0, textStyle: { color: ink, fontSize: size }, data: data.options },
      grid: { left: 8, right: size * 9, top: size * 2.6, bottom: 8, containLabel: true },
      xAxis: { type: "value", max: longest, axisLabel: { color: ink, fontSize: size * 0.8 }, splitLine: { lineStyle: { color: opts.dark ? "rgba(255,255,255,.15)" : "#e9ecef" } } },
      yAxis: { type: "category", data: rows.map(function (r) { return r.subject; }), axisLabel: { color: ink, fontSize: size }, axisTick: { show: false } },
      series: series,
    }, true);
  }

  global.ballotCharts = { colours: colours, turnout: turnout, results: results };
  global.addEventListener("resize", function () {
    document.querySelectorAll("[_echarts_instance_]").forEach(function (el) {
      const c = global.echarts.getInstanceByDom(el);
      if (c) c.resize();
    });
  });
})(window);
