// Hand scanners ("keyboard wedge") type a ticket as fast keystrokes ending
// with Enter. This plain script runs in the page's head, before the scanner's
// modules, so that a read arriving while the page is still starting is kept
// whole: keys are collected from the first moment, and a finished read waits
// (in sessionStorage, so a read made on the pairing page reaches the scanner)
// until the scanner takes it with doorWedge.attach(fn).
//
// Gaps are measured on the keys' own timestamps, not on when a busy page
// delivers them, so a page compiling the QR decoder does not split a read.
// A read typed partly on the page and partly in the ticket field is joined
// in the field.
(() => {
  const GAP = 1000; // ms without a key that ends an unfinished read
  const STORE = "door-wedge-reads";
  const field = () => document.getElementById("door-wedge-input");
  let buf = "";
  let last = -Infinity;
  let inField = -Infinity; // when the last key went into the ticket field
  let sink = null;

  const KEEP = 60000; // ms a read waits for the scanner; an older one is not a ticket shown now
  const saved = () => { try { return JSON.parse(sessionStorage.getItem(STORE) || "[]"); } catch (e) { return []; } };
  const save = (reads) => { try { sessionStorage.setItem(STORE, JSON.stringify(reads)); } catch (e) { /* private mode */ } };

  function deliver(text) {
    if (sink) sink(text);
    else save(saved().concat([{ text, at: Date.now() }]));
  }

  document.addEventListener("keydown", (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const tab = document.getElementById("tab-scan");
    if (tab && tab.hidden) return;
    const el = ev.target;
    const f = field();
    const t = ev.timeStamp;
    if (f && el === f) {
      // In the ticket field its form submits the read; bring along what
      // was typed on the page just before (a read split by a focus change).
      if (buf && t - last <= GAP && ev.key.length === 1) {
        f.value = buf + f.value;
      }
      buf = "";
      inField = t;
      return;
    }
    if (el && el.matches && el.matches("input, select, textarea")) return;
    if (f && f.value && t - inField <= GAP) {
      // The read began in the ticket field and goes on here: finish it there.
      if (ev.key === "Enter") { ev.preventDefault(); f.form.requestSubmit(); } else if (ev.key.length === 1) { f.value += ev.key; inField = t; }
      return;
    }
    if (t - last > GAP) buf = "";
    last = t;
    if (ev.key === "Enter") {
      const text = buf.trim();
      buf = "";
      if (text.length >= 8) { ev.preventDefault(); deliver(text); }
    } else if (ev.key.length === 1) {
      buf += ev.key;
    }
  }, true);

  window.doorWedge = {
    // attach hands reads to fn, first those made before the scanner was ready.
    attach(fn) {
      sink = fn;
      const reads = saved();
      save([]);
      for (const r of reads) if (r && Date.now() - r.at < KEEP) fn(r.text);
    },
  };
})();
