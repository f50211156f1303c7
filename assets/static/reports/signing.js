// Signing desk: draw a signature with a finger, pen or mouse (pointer
// events), then send it as a PNG data URL with the form.
(function () {
  "use strict";
  var canvas = document.getElementById("pad");
  var form = document.getElementById("sign-form");
  if (!canvas || !form) return;
  var ctx = canvas.getContext("2d");
  var drawing = false, drawn = false, last = null;

  function reset() {
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.strokeStyle = "#000";
    ctx.lineWidth = 3;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    drawn = false;
  }
  function point(ev) {
    var r = canvas.getBoundingClientRect();
    return { x: (ev.clientX - r.left) * canvas.width / r.width, y: (ev.clientY - r.top) * canvas.height / r.height };
  }
  canvas.addEventListener("pointerdown", function (ev) {
    ev.preventDefault();
    canvas.setPointerCapture(ev.pointerId);
    drawing = true;
    last = point(ev);
    ctx.beginPath();
    ctx.arc(last.x, last.y, 1.2, 0, 2 * Math.PI);
    ctx.fillStyle = "#000";
    ctx.fill();
    drawn = true;
  });
  canvas.addEventListener("pointermove", function (ev) {
    if (!drawing) return;
    ev.preventDefault();
    var events = ev.getCoalescedEvents ? ev.getCoalescedEvents() : [ev];
    for (var i = 0; i < events.length; i++) {
      var p = point(events[i]);
      ctx.beginPath();
      ctx.moveTo(last.x, last.y);
      ctx.lineTo(p.x, p.y);
      ctx.stroke();
      last = p;
    }
  });
  function stop() { drawing = false; }
  canvas.addEventListener("pointerup", stop);
  canvas.addEventListener("pointercancel", stop);
  document.getElementById("pad-clear").addEventListener("click", reset);
  form.addEventListener("submit", function (ev) {
    var err = document.getElementById("pad-error");
    if (!drawn) {
      ev.preventDefault();
      err.textContent = form.getAttribute("data-empty");
      err.hidden = false;
      return;
    }
    document.getElementById("signature").value = canvas.toDataURL("image/png");
  });
  reset();
})();
