// The print button needs script; without it the browser's own print works
// and the button stays hidden.
(function () {
  "use strict";
  document.querySelectorAll(".js-print").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });
})();
