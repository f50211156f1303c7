// The delegation form has twelve person blocks: on a phone, a very long page
// of empty fields. This shows the first three (or up to the last one filled
// in, plus one) and reveals one more per press of "Add another person".
// Without script every block stays visible, and empty ones are ignored.
(function () {
  "use strict";
  var form = document.querySelector("form.delegation-form");
  if (!form || !form.dataset.addLabel) {
    return;
  }
  var rows = Array.prototype.slice.call(form.querySelectorAll("fieldset.member"));
  function used(row) {
    if (row.querySelector(".has-error")) {
      return true;
    }
    return Array.prototype.some.call(row.querySelectorAll("input[type=text], input[type=email], input[type=tel]"),
      function (input) { return input.value.trim() !== ""; });
  }
  var shown = 3;
  rows.forEach(function (row, i) {
    if (used(row)) {
      shown = Math.max(shown, i + 2);
    }
  });
  if (shown >= rows.length) {
    return;
  }
  rows.forEach(function (row, i) { row.hidden = i >= shown; });
  var button = document.createElement("button");
  button.type = "button";
  button.className = "secondary add-person";
  button.textContent = form.dataset.addLabel;
  rows[rows.length - 1].after(button);
  button.addEventListener("click", function () {
    var next = rows.find(function (row) { return row.hidden; });
    if (!next) {
      return;
    }
    next.hidden = false;
    next.querySelector("input").focus();
    if (!rows.some(function (row) { return row.hidden; })) {
      button.remove();
    }
  });
})();
