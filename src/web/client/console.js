// The console's script (bundled with Leaflet by esbuild). It adds a search box to each taxonomy
// picker, keeps the "chosen" line up to date, places a pin for the coordinates (click or drag it,
// or type them), and asks before a delete. Without it the forms still work.
import L from "leaflet";

const messages = JSON.parse(document.getElementById("console-messages")?.textContent ?? "{}");
const say = (key, values = {}) => (messages[key] ?? key).replace(/\{(\w+)\}/g, (_m, k) => String(values[k] ?? ""));

// --- searchable pickers ---
for (const picker of document.querySelectorAll("[data-picker]")) {
  const boxes = [...picker.querySelectorAll("input[type=checkbox]")];
  const select = picker.querySelector("select");
  const items = boxes.length ? boxes.map((b) => b.closest("label")) : [...select.options].slice(1);
  const filter = document.createElement("input");
  filter.type = "search";
  filter.className = "filter";
  filter.setAttribute(
    "aria-label",
    say("filter", { field: picker.querySelector("legend, label")?.textContent?.trim() ?? "" }),
  );
  filter.placeholder = say("filterPlaceholder");
  const anchor = picker.querySelector(".options") ?? select;
  anchor.before(filter);
  const norm = (s) =>
    s
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase();
  filter.addEventListener("input", () => {
    const q = norm(filter.value.trim());
    for (const item of items)
      item.hidden = Boolean(q) && !norm(item.textContent).includes(q) && !item.querySelector?.("input")?.checked;
    // A single choice: pick the first match when only one is left, as people expect of a search.
    if (select && q) {
      const left = items.filter((o) => !o.hidden);
      if (left.length === 1) select.value = left[0].value;
    }
  });
  const chosen = picker.querySelector(".chosen");
  if (chosen) {
    picker.addEventListener("change", () => {
      const names = boxes.filter((b) => b.checked).map((b) => b.closest("label").textContent.trim());
      chosen.textContent = names.length ? say("chosen", { list: names.join(", ") }) : say("noneChosen");
    });
  }
}

// --- the pin ---
const pinMap = document.getElementById("pin-map");
if (pinMap) {
  const lat = document.getElementById("f-lat");
  const lon = document.getElementById("f-long");
  const map = L.map(pinMap, { worldCopyJump: true });
  L.tileLayer(pinMap.dataset.tileUrl, { attribution: "© OpenStreetMap contributors", maxZoom: 19 }).addTo(map);
  const icon = L.divIcon({ className: "essfed-point", iconSize: [18, 18] });
  let marker;
  const read = () => {
    const a = Number(lat.value),
      b = Number(lon.value);
    return lat.value.trim() &&
      lon.value.trim() &&
      Number.isFinite(a) &&
      Number.isFinite(b) &&
      Math.abs(a) <= 90 &&
      Math.abs(b) <= 180
      ? [a, b]
      : undefined;
  };
  const place = (at, move) => {
    if (!marker) {
      marker = L.marker(at, { icon, draggable: true, keyboard: true, title: say("pin") }).addTo(map);
      marker.on("dragend", () => write(marker.getLatLng()));
    } else marker.setLatLng(at);
    if (move) map.setView(at, Math.max(map.getZoom() || 0, 15));
  };
  const write = (ll) => {
    lat.value = ll.lat.toFixed(6);
    lon.value = L.latLng(ll).wrap().lng.toFixed(6);
  };
  const start = read();
  if (start) {
    map.setView(start, 15);
    place(start, false);
  } else map.setView([30, 0], 2);
  map.on("click", (e) => {
    write(e.latlng);
    place(e.latlng, false);
  });
  for (const input of [lat, lon])
    input.addEventListener("change", () => {
      const at = read();
      if (at) place(at, true);
    });
}

// --- ask before deleting ---
for (const button of document.querySelectorAll("button[data-confirm]")) {
  button.addEventListener("click", (e) => {
    if (!window.confirm(button.dataset.confirm)) e.preventDefault();
  });
}

// --- after a refused save, take the person to the list of what to fix ---
document.getElementById("error-summary")?.focus();

// --- an import's progress: followed without reloading; the page is reloaded when the step ends ---
const importStatus = document.querySelector("[data-import-status]");
if (importStatus) {
  const progress = document.getElementById("import-progress");
  const readLine = document.getElementById("import-read");
  const follow = async () => {
    try {
      const res = await fetch(importStatus.dataset.importStatus, { headers: { accept: "application/json" } });
      if (!res.ok) return location.reload();
      const s = await res.json();
      if (!["checking", "waiting", "running"].includes(s.state)) return location.reload();
      progress.value = s.read;
      if (s.state === "running" && s.total) progress.max = s.total;
      readLine.textContent = readLine.textContent
        .replace(/[\d\s,.\u202f\u00a0]+/, ` ${s.read.toLocaleString(document.documentElement.lang)} `)
        .trim();
    } catch {
      // A failed poll (the server restarting, say) is simply tried again.
    }
    setTimeout(follow, 1000);
  };
  setTimeout(follow, 1000);
}
