// The map page's script (browser code, bundled by esbuild with Leaflet, Supercluster and
// intl-messageformat). It asks /api/clusters for what is in view with the chosen filters, merges
// cells that would overlap on screen (Supercluster), lists what is in view beside the map
// (/map/list), and keeps the filters and the view in the page's URL so a view can be shared.
import L from "leaflet";
import Supercluster from "supercluster";
import { IntlMessageFormat } from "intl-messageformat";

const config = JSON.parse(document.getElementById("essfed-config").textContent);
const form = document.getElementById("filters");
const status = document.getElementById("status");
const list = document.getElementById("list");
const prev = document.getElementById("prev");
const next = document.getElementById("next");
const unlocatedNote = document.getElementById("unlocated");
const FACETS = config.facets;
const formats = new Map();
function t(key, values) {
  let f = formats.get(key);
  if (!f) formats.set(key, (f = new IntlMessageFormat(config.messages[key] ?? key, config.locale)));
  return String(f.format(values));
}
const number = new Intl.NumberFormat(config.locale);

// --- state in the URL ---
const params = new URLSearchParams(location.search);
let mode = params.get("show") === "unlocated" ? "unlocated" : "view";
const map = L.map("map", { worldCopyJump: true, keyboard: true, zoomControl: true });
L.tileLayer(config.tileUrl, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
const at = /^(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?),(\d{1,2})$/.exec(params.get("at") ?? "");
if (at) map.setView([Number(at[1]), Number(at[2])], Math.min(19, Number(at[3])));
else if (config.extent)
  map.fitBounds(
    [
      [config.extent.minLat, config.extent.minLon],
      [config.extent.maxLat, config.extent.maxLon],
    ],
    { maxZoom: 12 },
  );
else map.setView([20, 0], 2);
const layer = L.layerGroup().addTo(map);

function filters() {
  const p = new URLSearchParams();
  const q = form.elements.q.value.trim();
  if (q) p.set("q", q);
  for (const f of FACETS) {
    const el = form.elements[f];
    if (el && el.value) p.set(f, el.value);
  }
  return p;
}

function saveUrl() {
  const p = filters();
  const c = map.getCenter();
  p.set("at", `${c.lat.toFixed(5)},${c.lng.toFixed(5)},${map.getZoom()}`);
  if (mode === "unlocated") p.set("show", "unlocated");
  const lang = params.get("lang");
  if (lang) p.set("lang", lang);
  history.replaceState(null, "", `${location.pathname}?${p}`);
  form.elements.at.value = p.get("at");
}

const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
function bbox() {
  const b = map.getBounds();
  return [
    clamp(b.getWest(), -180, 180),
    clamp(b.getSouth(), -90, 90),
    clamp(b.getEast(), -180, 180),
    clamp(b.getNorth(), -90, 90),
  ]
    .map((x) => x.toFixed(5))
    .join(",");
}

// --- popups and list items, built as DOM nodes (text is never parsed as HTML) ---
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) e.setAttribute(k, v);
  for (const c of children) if (c !== undefined && c !== null && c !== "") e.append(c);
  return e;
}
function provenance(card) {
  const p = el(
    "p",
    { class: "prov" },
    `${t("map.publishedBy")} `,
    el("a", { href: card.publishedBy.href }, card.publishedBy.name),
  );
  for (const v of card.via) p.append(`, ${t("map.via")} `, el("a", { href: v.href }, v.name));
  // A record's own licence (a mirror's is its owner's), with the credit its owner asks for.
  if (card.licence) {
    p.append(
      el("br"),
      `${t("map.licence")}: `,
      el("a", { href: card.licence.href, rel: "license" }, card.licence.label),
    );
    if (card.credit && card.credit !== card.publishedBy.name) p.append(` · ${card.credit}`);
  }
  return p;
}
function cardNode(card, heading) {
  return el(
    "div",
    { class: "card" },
    el(heading, { class: "name" }, el("a", { href: card.href }, card.name)),
    card.kind ? el("p", { class: "kind" }, card.kind) : "",
    card.place ? el("p", { class: "place" }, card.place) : "",
    card.line ? el("p", { class: "line" }, card.line) : "",
    provenance(card),
  );
}

// The popup belongs to the map, not to the marker: opening it may pan the map, which redraws the
// markers, and a popup bound to a marker would vanish with it.
async function openCard(marker, id) {
  const popup = L.popup({ offset: [0, -6] })
    .setLatLng(marker.getLatLng())
    .setContent(t("map.loading"))
    .openOn(map);
  const res = await fetch(`/map/card?id=${encodeURIComponent(id)}&lang=${config.locale}`);
  popup.setContent(res.ok ? cardNode(await res.json(), "h2") : t("map.loadFailed"));
}

// --- clusters ---
function icon(count, about) {
  const text = `${about}${number.format(count)}`;
  // Wide enough for every digit: a count is never cut or hidden.
  const size = Math.max(32, 14 + 8 * text.length);
  return L.divIcon({ className: "essfed-cluster", html: `<span>${text}</span>`, iconSize: [size, 32] });
}
const POINT = L.divIcon({ className: "essfed-point", iconSize: [16, 16] });

let seq = 0;
async function refreshMap() {
  const mine = ++seq;
  const p = filters();
  p.set("zoom", String(map.getZoom()));
  p.set("bbox", bbox());
  const res = await fetch(`/api/clusters?${p}`);
  if (mine !== seq) return;
  if (!res.ok) {
    status.textContent = (await res.json().catch(() => ({}))).detail ?? t("map.loadFailed");
    return;
  }
  const data = await res.json();
  // Cells next to each other would overlap on screen: merge what falls within 48 px.
  const index = new Supercluster({
    radius: 48,
    maxZoom: 22,
    map: (props) => ({ count: props.count }),
    reduce: (a, b) => {
      a.count += b.count;
    },
  });
  index.load(
    data.clusters.map((c) => ({
      type: "Feature",
      geometry: { type: "Point", coordinates: [c.lon, c.lat] },
      properties: c,
    })),
  );
  layer.clearLayers();
  const about = data.approximate ? "≈" : "";
  let points = 0;
  for (const f of index.getClusters([-180, -85, 180, 85], map.getZoom())) {
    const [lon, lat] = f.geometry.coordinates;
    const c = f.properties;
    const count = c.cluster ? c.count : c.count;
    points += count;
    if (!c.cluster && c.count === 1 && c.id) {
      const m = L.marker([lat, lon], { icon: POINT, title: c.name, alt: c.name, keyboard: true, riseOnHover: true });
      m.on("click", () => openCard(m, c.id));
      m.addTo(layer);
    } else {
      const label = t("map.cluster", { count, about });
      L.marker([lat, lon], { icon: icon(count, about), title: label, alt: label, keyboard: true })
        .on("click", () => map.setView([lat, lon], Math.min(19, map.getZoom() + 2)))
        .addTo(layer);
    }
  }
  status.dataset.points = String(points);
  status.dataset.markers = String(layer.getLayers().length);
  status.textContent =
    mode === "unlocated" ? status.textContent : t(about ? "map.inViewApprox" : "map.inView", { count: points });
}

// --- the list beside the map ---
let cursors = [undefined];
async function refreshList(page = 0) {
  const p = filters();
  if (mode === "unlocated") p.set("located", "false");
  else p.set("bbox", bbox());
  const cursor = cursors[page];
  if (cursor) p.set("cursor", cursor);
  p.set("lang", config.locale);
  const res = await fetch(`/map/list?${p}`);
  if (!res.ok) return;
  const data = await res.json();
  list.replaceChildren(...data.items.map((card) => el("li", {}, cardNode(card, "h3"))));
  list.dataset.count = String(data.items.length);
  if (!data.items.length)
    list.replaceChildren(
      el("li", { class: "empty" }, t(mode === "unlocated" ? "map.noneUnlocated" : "map.noneInView")),
    );
  cursors = cursors.slice(0, page + 1);
  if (data.next) cursors[page + 1] = data.next;
  prev.hidden = page === 0;
  next.hidden = !data.next;
  prev.onclick = () => refreshList(page - 1);
  next.onclick = () => refreshList(page + 1);
  if (mode === "unlocated") {
    status.textContent = t("map.unlocatedHeading");
    unlocatedNote.hidden = false;
    unlocatedNote.replaceChildren(
      el("button", { type: "button", class: "link", id: "back-to-view" }, t("map.backToView")),
    );
    unlocatedNote.firstChild.onclick = () => {
      mode = "view";
      saveUrl();
      refresh();
    };
  } else if (page === 0) {
    unlocatedNote.hidden = !data.unlocated;
    if (data.unlocated) {
      unlocatedNote.replaceChildren(
        t("map.unlocated", { count: data.unlocated }),
        " ",
        el("button", { type: "button", class: "link", id: "show-unlocated" }, t("map.showUnlocated")),
      );
      unlocatedNote.lastChild.onclick = () => {
        mode = "unlocated";
        saveUrl();
        refresh();
      };
    }
  }
}

function refresh() {
  cursors = [undefined];
  saveUrl();
  return Promise.all([refreshMap(), refreshList(0)]);
}

let timer;
map.on("moveend", () => {
  clearTimeout(timer);
  timer = setTimeout(refresh, 150);
});
form.addEventListener("change", (e) => {
  if (e.target.name !== "q") refresh();
});
form.addEventListener("submit", (e) => {
  e.preventDefault();
  refresh();
});
refresh();
