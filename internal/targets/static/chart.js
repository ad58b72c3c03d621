// The target page's chart: cumulative actual by month against the schedule
// line (target × N/12) and last year's same period. The series come from the
// page as JSON (<script type="application/json" id="chart-data">), so no
// inline script is needed; without JavaScript the history table shows the
// same figures.
(function () {
  "use strict";
  var el = document.getElementById("chart");
  var src = document.getElementById("chart-data");
  if (!el || !src || !window.echarts) { return; }
  var d = JSON.parse(src.textContent);
  var chart = window.echarts.init(el, null, { renderer: "canvas" });
  var fmt = function (v) {
    if (v === null || v === undefined) { return "—"; }
    return Number(v).toLocaleString("zh-CN", { maximumFractionDigits: 2 });
  };
  chart.setOption({
    animation: false,
    // Each line 3:1 or more against white (WCAG 1.4.11).
    color: ["#b71c1c", "#1f2329", "#7a808a"],
    tooltip: { trigger: "axis", valueFormatter: fmt },
    legend: { top: 0 },
    grid: { left: 16, right: 24, top: 40, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: d.months, boundaryGap: false },
    yAxis: { type: "value", name: d.unit, axisLabel: { formatter: fmt } },
    series: [
      { name: d.names.actual, type: "line", data: d.actual, connectNulls: true, symbolSize: 7, lineStyle: { width: 3 } },
      { name: d.names.schedule, type: "line", data: d.schedule, symbol: "none", lineStyle: { type: "dashed", width: 2 } },
      { name: d.names.last_year, type: "line", data: d.last_year, connectNulls: true, symbolSize: 5, lineStyle: { width: 2 } }
    ]
  });
  var resize = function () { chart.resize(); };
  window.addEventListener("resize", resize);
  window.addEventListener("beforeprint", resize);
  window.addEventListener("afterprint", resize);
})();
