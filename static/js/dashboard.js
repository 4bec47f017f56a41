// The leadership dashboard's charts, drawn with the Chart.js served by the portal. The
// data and every label come from <script type="application/json" id="dashboard-charts">
// (Django's json_script, not executed, so the strict CSP allows it); numbers are
// formatted for the page's locale (vi-VN: 1.234,5). Each canvas names its chart in
// data-chart; a drawn canvas gets data-drawn="true" (the browser test reads it).
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var source = document.getElementById("dashboard-charts");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var payload = JSON.parse(source.textContent);
  var number = new Intl.NumberFormat(payload.locale, { maximumFractionDigits: 2 });
  // Colour-blind-safe colours (Okabe-Ito), told apart in print by their borders too.
  var colours = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"];
  window.Chart.defaults.locale = payload.locale;
  window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;

  function format(value, percent) {
    return value === null || value === undefined ? "—" : number.format(value) + (percent ? " %" : "");
  }

  function draw(canvas, spec) {
    var horizontal = Boolean(spec.horizontal);
    var valueAxis = horizontal ? "x" : "y";
    var datasets = spec.datasets.map(function (set, index) {
      var line = set.kind === "line";
      return {
        type: line ? "line" : "bar",
        label: set.label,
        data: set.data,
        yAxisID: set.axis === "y1" ? "y1" : undefined,
        backgroundColor: colours[index % colours.length],
        borderColor: line ? colours[index % colours.length] : "#212529",
        borderWidth: line ? 2 : 1,
        borderDash: line && index % 2 ? [6, 4] : [],
        pointRadius: line ? 3 : 0,
        spanGaps: true,
      };
    });
    var scales = {};
    scales[valueAxis] = {
      beginAtZero: true,
      stacked: Boolean(spec.stacked),
      max: spec.percent ? 100 : undefined,
      ticks: {
        callback: function (value) {
          return format(value, spec.percent);
        },
      },
      title: { display: Boolean(horizontal ? spec.x_title : spec.y_title), text: horizontal ? spec.x_title : spec.y_title },
    };
    scales[horizontal ? "y" : "x"] = {
      stacked: Boolean(spec.stacked),
      ticks: { autoSkip: false },
      title: { display: Boolean(horizontal ? spec.y_title : spec.x_title), text: horizontal ? spec.y_title : spec.x_title },
    };
    if (spec.y1_title) {
      scales.y1 = {
        position: "right",
        beginAtZero: true,
        max: 100,
        grid: { drawOnChartArea: false },
        ticks: {
          callback: function (value) {
            return format(value, true);
          },
        },
        title: { display: true, text: spec.y1_title },
      };
    }
    new window.Chart(canvas, {
      data: { labels: spec.labels, datasets: datasets },
      options: {
        indexAxis: horizontal ? "y" : "x",
        animation: false,
        responsive: true,
        maintainAspectRatio: !horizontal,
        plugins: {
          legend: { display: datasets.length > 1 },
          tooltip: {
            callbacks: {
              label: function (item) {
                var percent = spec.percent || item.dataset.yAxisID === "y1";
                return item.dataset.label + ": " + format(item.raw, percent);
              },
            },
          },
        },
        scales: scales,
      },
    });
    canvas.dataset.drawn = "true";
  }

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var spec = payload.charts[canvas.dataset.chart];
    if (spec) {
      draw(canvas, spec);
    }
  });
  // Charts are redrawn at the printed width, so a printed page shows them whole.
  window.addEventListener("beforeprint", function () {
    Object.values(window.Chart.instances).forEach(function (chart) {
      chart.resize();
    });
  });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  });
});
