// The scoreboard's print button: <button data-print hidden> prints the page (A4 portrait,
// the rules of the "scoreboard print" block of portal.css). The button stays hidden
// without JavaScript, where the browser's own print command does the same. No inline
// script (CSP).
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  document.querySelectorAll(".scoreboard [data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
});
