// Copy buttons: <button data-copy-target="id" data-copied-label="…" hidden> copies the value
// (an input) or the text (any other element) of the element with that id. Buttons stay
// hidden without JavaScript; a readonly input marked data-select-on-focus selects its whole
// value when clicked, so the key can still be copied by hand. No inline script (CSP).
document.addEventListener("DOMContentLoaded", function () {
  "use strict";

  function selectContents(element) {
    if (typeof element.select === "function") {
      element.focus();
      element.select();
      return;
    }
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  document.querySelectorAll("[data-select-on-focus]").forEach(function (input) {
    input.addEventListener("focus", function () {
      input.select();
    });
    input.addEventListener("click", function () {
      input.select();
    });
  });

  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var target = document.getElementById(button.dataset.copyTarget);
    if (!target) {
      return;
    }
    button.hidden = false;
    var label = button.querySelector("span") || button;
    button.addEventListener("click", function () {
      var text = typeof target.value === "string" ? target.value : target.textContent.trim();
      var done = function () {
        label.textContent = button.dataset.copiedLabel;
      };
      var byHand = function () {
        selectContents(target);
        try {
          if (document.execCommand("copy")) {
            done();
          }
        } catch (error) {
          // Left selected: the user copies it by hand.
        }
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, byHand);
      } else {
        byHand();
      }
    });
  });
});
