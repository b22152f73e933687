// The dashboard's two charts, drawn from the JSON block #dashboard-data (no inline script: the
// pages run under a strict Content-Security-Policy). Without JavaScript, or without Chart.js, the
// tables under the charts say the same and the chart boxes stay hidden.
(function () {
  "use strict";

  var GREEN = "#198754";
  var ORANGE = "#fd7e14";
  var GREY = "#adb5bd";

  function percent(value) {
    return value === null || value === undefined
      ? "—"
      : value.toLocaleString("id-ID", { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + "%";
  }

  function show(boxId) {
    var box = document.getElementById(boxId);
    box.hidden = false;
    // The table stays one click away for exact numbers.
    var table = box.parentElement.querySelector("details.chart-table");
    if (table) table.open = false;
    return box.querySelector("canvas");
  }

  function trendChart(trend) {
    return new window.Chart(show("trend-chart-box"), {
      type: "line",
      data: {
        labels: trend.labels,
        datasets: [
          { label: "CPR", data: trend.cpr, borderColor: GREEN, backgroundColor: GREEN, tension: 0.2, spanGaps: true },
          { label: "% MKJP", data: trend.mkjp, borderColor: ORANGE, backgroundColor: ORANGE, tension: 0.2, spanGaps: true },
        ],
      },
      options: {
        maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        scales: { y: { beginAtZero: true, suggestedMax: 100, ticks: { callback: function (v) { return v + "%"; } } } },
        plugins: {
          legend: { position: "bottom" },
          tooltip: { callbacks: { label: function (c) { return c.dataset.label + ": " + percent(c.parsed.y); } } },
        },
      },
    });
  }

  function methodsChart(methods) {
    return new window.Chart(show("methods-chart-box"), {
      type: "bar",
      data: {
        labels: methods.labels,
        datasets: [
          { label: "Pemerintah", data: methods.pemerintah, backgroundColor: GREEN },
          { label: "Swasta", data: methods.swasta, backgroundColor: GREY },
        ],
      },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true } },
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: { label: function (c) { return c.dataset.label + ": " + c.parsed.x.toLocaleString("id-ID"); } },
          },
        },
      },
    });
  }

  function draw() {
    var source = document.getElementById("dashboard-data");
    if (!source || !window.Chart) return;
    var data = JSON.parse(source.textContent);
    window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    window.Chart.defaults.locale = "id-ID";
    if (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
      window.Chart.defaults.animation = false;
    }
    // A month (or a year) without any report has no chart: the page says "belum ada data".
    if (document.getElementById("trend-chart-box")) trendChart(data.trend);
    if (document.getElementById("methods-chart-box")) methodsChart(data.methods);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
