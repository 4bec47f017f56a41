// The reserve proposal page: add up the shares as they are typed and say how far the
// total is from the reserve. The server checks again on export and approval.
(function () {
  "use strict";
  function parse(text) {
    var value = (text || "").trim().replace(/\s/g, "");
    if (!value) return 0;
    if (/^\d{1,3}(\.\d{3})+(,\d+)?$/.test(value)) value = value.replace(/\./g, "").replace(",", ".");
    else value = value.replace(",", ".");
    var number = Number(value);
    return isFinite(number) ? number : NaN;
  }
  function format(number) {
    return number.toLocaleString("vi-VN", { maximumFractionDigits: 3 });
  }
  function update(form) {
    var reserve = Number(form.dataset.reserve);
    var total = 0;
    form.querySelectorAll(".share-input").forEach(function (input) { total += parse(input.value); });
    var out = document.getElementById("share-total");
    if (!out) return;
    total = Math.round(total * 1000) / 1000;
    out.textContent = isNaN(total) ? "?" : format(total) + (total === reserve ? " ✓" : " ≠ " + format(reserve));
    out.className = total === reserve ? "text-success" : "text-danger";
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("[data-testid=reserve-form]");
    if (!form) return;
    form.addEventListener("input", function () { update(form); });
    update(form);
  });
})();
