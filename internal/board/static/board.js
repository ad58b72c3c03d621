// The campaign board's charts: one small ECharts line chart per indicator,
// cumulative actual against the schedule line and last year's same period.
// The data sits in the page as <script type="application/json" id="board-data">
// (the CSP forbids inline scripts, not data). Without this file or without
// ECharts the board still reads: the table carries every number.
(function () {
  "use strict";
  var block = document.getElementById("board-data");
  if (!block || typeof echarts === "undefined") { return; }
  var data;
  try { data = JSON.parse(block.textContent); } catch (e) { return; }

  // The lights' marks as app.css draws them (3:1 against white at least).
  var colors = { green: "#2e7d32", yellow: "#b7791f", red: "#c62828", none: "#7a808a" };
  var charts = [];

  function option(c) {
    var accent = colors[c.light] || colors.none;
    var series = [
      {
        name: data.labels.actual, type: "line", data: c.actual, connectNulls: true,
        symbol: "circle", symbolSize: 5, lineStyle: { width: 2.5, color: accent },
        itemStyle: { color: accent }, areaStyle: { color: accent, opacity: 0.08 }, z: 3
      },
      {
        name: data.labels.last, type: "line", data: c.last_year, connectNulls: true,
        symbol: "none", lineStyle: { width: 1.5, color: colors.none }, itemStyle: { color: colors.none }
      }
    ];
    if (c.schedule && c.schedule.some(function (v) { return v !== null; })) {
      series.push({
        name: data.labels.schedule, type: "line", data: c.schedule,
        symbol: "none", lineStyle: { width: 1.5, type: "dashed", color: "#1f2329" }, itemStyle: { color: "#1f2329" }
      });
    }
    return {
      animation: false,
      grid: { left: 8, right: 12, top: 26, bottom: 4, containLabel: true },
      legend: { top: 0, right: 0, itemWidth: 14, itemHeight: 8, textStyle: { fontSize: 11, color: "#646a73" } },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? "—" : Number(v).toLocaleString() + " " + c.measure; } },
      xAxis: { type: "category", data: data.months, boundaryGap: false, axisLabel: { fontSize: 10, color: "#646a73", interval: 1 }, axisTick: { show: false } },
      yAxis: { type: "value", scale: false, splitNumber: 3, axisLabel: { fontSize: 10, color: "#646a73" }, splitLine: { lineStyle: { color: "#eef0f3" } } },
      series: series
    };
  }

  function draw(el, c) {
    if (el.getAttribute("data-drawn")) { return; }
    el.setAttribute("data-drawn", "1");
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option(c));
    charts.push(chart);
  }

  // The grid's cells are built here from the data, so the page carries each
  // indicator's name once and the server renders none of them.
  var grid = document.getElementById("board-charts");
  if (!grid) { return; }
  var byID = {};
  data.charts.forEach(function (c) {
    byID[c.id] = c;
    var fig = document.createElement("figure");
    fig.className = "chart-cell";
    fig.id = "chart-" + c.id;
    var cap = document.createElement("figcaption");
    // The dot repeats the light its word says, for those who see colour.
    var dot = document.createElement("span");
    dot.className = "dot dot-" + c.light;
    dot.setAttribute("aria-hidden", "true");
    var word = document.createElement("span");
    word.className = "light-word " + c.light;
    word.setAttribute("data-testid", "chart-light");
    word.textContent = data.labels[c.light] || "";
    var link = document.createElement("a");
    link.href = "/targets/" + c.id;
    link.textContent = c.name;
    var measure = document.createElement("span");
    measure.className = "measure";
    measure.textContent = c.measure;
    cap.appendChild(dot);
    cap.appendChild(document.createTextNode(" "));
    cap.appendChild(word);
    cap.appendChild(document.createTextNode(" "));
    cap.appendChild(link);
    cap.appendChild(document.createTextNode(" "));
    cap.appendChild(measure);
    var box = document.createElement("div");
    box.className = "spark";
    box.setAttribute("data-chart", c.id);
    // The canvas is a picture of the figures the indicator table lists.
    box.setAttribute("role", "img");
    box.setAttribute("aria-label", c.name + " · " + (data.labels[c.light] || ""));
    fig.appendChild(cap);
    fig.appendChild(box);
    grid.appendChild(fig);
  });
  grid.closest("section").hidden = false;
  var cells = Array.prototype.slice.call(grid.querySelectorAll("[data-chart]"));
  // A board of a few dozen indicators draws at once; a long one draws each
  // chart as it scrolls into view.
  var lazy = cells.length > 40 && "IntersectionObserver" in window;
  if (lazy) {
    var seen = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        if (e.isIntersecting) {
          seen.unobserve(e.target);
          draw(e.target, byID[e.target.getAttribute("data-chart")]);
        }
      });
    }, { rootMargin: "200px" });
    cells.forEach(function (el) { seen.observe(el); });
  } else {
    cells.forEach(function (el) { draw(el, byID[el.getAttribute("data-chart")]); });
  }

  // A chart is repainted at once: ECharts repaints a resized chart on the
  // next animation frame, which comes after a print has been laid out.
  // "auto" is the container's size, undoing a print's fixed one.
  function resizeTo(size) {
    charts.forEach(function (ch) {
      ch.resize(size);
      if (ch.getZr) { ch.getZr().flush(); }
    });
  }
  function resize() { resizeTo({ width: "auto", height: "auto" }); }
  var pending;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(resize, 150);
  });
  // Printing draws every chart, each at its cell's size on the sheet: A4 or
  // A3 landscape less 10 mm margins, six or nine to a row with 2 mm gaps, 105 or 125 px high, as
  // app.css and board.css lay them out (<html data-paper> names the sheet).
  // beforeprint comes before the print layout, so the size is worked out
  // here rather than read from the page.
  var sheets = { a4: { width: 277, columns: 6, height: 105 }, a3: { width: 400, columns: 9, height: 125 } };
  function printSize() {
    var s = sheets[document.documentElement.getAttribute("data-paper")] || sheets.a4;
    var mm = 96 / 25.4;
    return { width: Math.floor(((s.width - 2 * (s.columns - 1)) / s.columns) * mm) - 8, height: s.height };
  }
  window.addEventListener("beforeprint", function () {
    cells.forEach(function (el) { draw(el, byID[el.getAttribute("data-chart")]); });
    resizeTo(printSize());
  });
  window.addEventListener("afterprint", resize);
})();
