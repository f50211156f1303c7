// Pairing: the link's fragment holds the device token. Store it on the
// phone, drop it from the address bar and history, check it, open the scanner.
import { saveToken } from "./store.js";

const root = document.getElementById("door-pair");
const msgs = JSON.parse(root.dataset.messages || "{}");
const status = document.getElementById("pair-status");
const open = document.getElementById("pair-open");

async function main() {
  const token = decodeURIComponent(location.hash.slice(1)).trim();
  history.replaceState(null, "", location.pathname);
  if (!/^att_[a-z2-7]{20,80}$/.test(token)) {
    status.textContent = msgs["status.not_paired"];
    return;
  }
  await saveToken(token);
  try {
    const res = await fetch("/api/v1/door/bundle", { headers: { Authorization: "Bearer " + token } });
    if (res.status === 401) {
      status.textContent = msgs["status.revoked"];
      return;
    }
    if (res.ok) {
      const b = await res.json();
      status.textContent = (b.device ? b.device.name + " · " : "") + (b.event.title[document.documentElement.lang] || b.event.title.en || b.event.slug);
    }
  } catch (e) {
    status.textContent = msgs["status.offline"];
  }
  open.hidden = false;
  setTimeout(() => location.replace("/door/scan"), 1200);
}

main();
