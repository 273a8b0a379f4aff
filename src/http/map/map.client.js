// The map page's script (browser code, bundled with Leaflet by esbuild when first asked for).
// It asks /api/clusters for what is in view, with the chosen filters, and draws clusters as
// counted circles and single initiatives as points that link to their pages.
import L from "leaflet";

const config = JSON.parse(document.getElementById("essfed-config").textContent);
const form = document.getElementById("filters");
const status = document.getElementById("status");
const map = L.map("map", { worldCopyJump: true }).setView([30, 0], 2);
L.tileLayer(config.tileUrl, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
const layer = L.layerGroup().addTo(map);
const lang = (navigator.language || "en").split("-")[0];
const FACETS = ["structure", "activity", "membership", "qualifier", "country", "source"];

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));

function filters() {
  const p = new URLSearchParams();
  const q = form.elements.q.value.trim();
  if (q) p.set("q", q);
  for (const f of FACETS) {
    const v = form.elements[f].value;
    if (v) p.set(f, v);
  }
  return p;
}

async function loadFacets() {
  const data = await (await fetch(`/api/facets?lang=${encodeURIComponent(lang)}`)).json();
  for (const f of FACETS) {
    const select = form.elements[f];
    for (const v of data.facets[f] ?? []) {
      const option = document.createElement("option");
      option.value = v.value;
      option.textContent = `${v.label} (${v.count})`;
      select.append(option);
    }
  }
}

let seq = 0;
async function refresh() {
  const mine = ++seq;
  const b = map.getBounds();
  const p = filters();
  p.set("zoom", String(map.getZoom()));
  p.set("bbox", [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90), clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90)].map((x) => x.toFixed(5)).join(","));
  const res = await fetch(`/api/clusters?${p}`);
  if (mine !== seq) return;
  if (!res.ok) {
    status.textContent = (await res.json()).detail ?? "The search failed.";
    return;
  }
  const data = await res.json();
  layer.clearLayers();
  let points = 0;
  // Counted on a sample (very many matches in a wide view): counts are estimates.
  const about = data.approximate ? "≈" : "";
  for (const c of data.clusters) {
    points += c.count;
    if (c.count === 1 && c.id) {
      L.circleMarker([c.lat, c.lon], { radius: 6, className: "essfed-point", color: "#0a7d4f", fillOpacity: 0.8 })
        .bindPopup(`<a href="${esc(c.id)}">${esc(c.name)}</a>`).addTo(layer);
    } else {
      const size = Math.round(24 + 8 * Math.log10(c.count));
      L.marker([c.lat, c.lon], { icon: L.divIcon({ className: "essfed-cluster", html: `<span>${about}${c.count}</span>`, iconSize: [size, size] }) })
        .on("click", () => map.setView([c.lat, c.lon], Math.min(19, map.getZoom() + 2))).addTo(layer);
    }
  }
  status.dataset.points = String(points);
  status.dataset.markers = String(data.clusters.length);
  status.textContent = `${about}${points.toLocaleString()} initiatives in view`;
}

map.on("moveend", refresh);
form.addEventListener("change", refresh);
form.addEventListener("submit", (e) => { e.preventDefault(); refresh(); });
loadFacets().finally(refresh);
