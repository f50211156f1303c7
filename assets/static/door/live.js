// Live counts screen: refresh the numbers every few seconds.
const root = document.getElementById("door-live");
const M = JSON.parse(root.dataset.messages || "{}");
const lang = document.documentElement.lang || "en";
const fmt = new Intl.NumberFormat(lang);

async function refresh() {
  try {
    const res = await fetch("/api/v1/door/counts?event=" + encodeURIComponent(root.dataset.event), {
      headers: { Accept: "application/json" }, credentials: "same-origin",
    });
    if (!res.ok) throw new Error("HTTP " + res.status);
    const c = await res.json();
    for (const el of root.querySelectorAll("[data-count]")) if (c[el.dataset.count] !== undefined) el.textContent = fmt.format(c[el.dataset.count]);
    const body = document.getElementById("live-doors");
    body.textContent = "";
    for (const d of c.per_door) {
      const tr = document.createElement("tr");
      const a = document.createElement("td");
      a.textContent = d.door || M["counts.desk"];
      const b = document.createElement("td");
      b.className = "num";
      b.textContent = fmt.format(d.admitted);
      tr.append(a, b);
      body.append(tr);
    }
    document.getElementById("live-updated").textContent = new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit", second: "2-digit" }).format(new Date());
  } catch (e) {
    document.getElementById("live-updated").textContent = M["status.offline"];
  }
}

setInterval(refresh, 5000);
refresh();
