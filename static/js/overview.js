// The overview's distribution chart. The data come from a <script type="application/json">
// written by Django's json_script filter (not executed, so the strict CSP allows it).
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var source = document.getElementById("distribution-data");
  var canvas = document.getElementById("distribution-chart");
  if (!source || !canvas || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [{ label: data.label, data: data.counts, backgroundColor: "#198754" }],
    },
    options: {
      animation: false,
      plugins: { legend: { display: false } },
      scales: {
        x: { title: { display: true, text: data.x_title } },
        y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: data.y_title } },
      },
    },
  });
});
