// Draws each <figure data-chart> with uPlot (vendored) over its server-drawn SVG fallback.
(function () {
  "use strict";
  var COLOURS = ["#1f5fbf", "#b3261e", "#2e7d32", "#8a4b00"];
  if (typeof uPlot === "undefined") { return; }

  function xValues(kind) {
    if (kind === "minutes") {
      return function (u, splits) {
        var x0 = u.data[0][0];
        return splits.map(function (v) { return Math.round((v - x0) / 60) + " min"; });
      };
    }
    return function (u, splits) {
      return splits.map(function (v) {
        return new Date(v * 1000).toLocaleDateString(undefined, { day: "numeric", month: "short", timeZone: "UTC" });
      });
    };
  }

  function draw(figure) {
    var data = JSON.parse(figure.querySelector("script[type='application/json']").textContent);
    var holder = figure.querySelector(".chart-plot");
    var width = Math.max(holder.clientWidth, 240);
    var sync = uPlot.sync(data.title);
    holder.textContent = "";
    data.panels.forEach(function (panel, index) {
      var series = [{ label: data.kind === "minutes" ? "Time" : "Day" }];
      var columns = [data.x];
      panel.lines.forEach(function (line, i) {
        var colour = COLOURS[i % COLOURS.length];
        var s = { label: line.label + " (" + panel.unit + ")", stroke: colour, width: 2, spanGaps: false };
        if (line.bars) { s.fill = colour; s.paths = uPlot.paths.bars({ size: [0.7, 40] }); }
        series.push(s);
        columns.push(line.values);
      });
      var range = panel.low !== null && panel.high !== null
        ? { y: { range: [panel.low, panel.high] } }
        : {};
      var opts = {
        width: width, height: 170,
        scales: Object.assign({ x: { time: data.kind === "date" } }, range),
        axes: [
          { values: xValues(data.kind), show: index === data.panels.length - 1 },
          { label: panel.unit, size: 52 }
        ],
        series: series,
        cursor: { sync: { key: sync.key } },
        legend: { show: true }
      };
      var plot = new uPlot(opts, columns, holder);
      sync.sub(plot);
    });
    figure.classList.add("drawn");
  }

  document.querySelectorAll("figure[data-chart]").forEach(function (figure) {
    try { draw(figure); } catch (e) { /* the SVG fallback stays */ }
  });
})();
