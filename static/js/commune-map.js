// The map of the communes (criteria/selectors/map.py): one mark per commune at its
// centroid (WGS 84), drawn as an inline SVG from our own data. No tile server, no
// library, no request: the data come from a <script type="application/json"
// id="commune-map-data"> written by Django's json_script (not executed, so the strict
// CSP allows it), and every text a reader sees is in it, translated by the server.
//
// Projection: equirectangular, x = longitude * cos(mean latitude), y = -latitude, fitted
// to the marks with margins. Good enough for a province (distances within a few per cent).
//
// Readable without colour: each band of criteria met has its own colour (viridis, safe
// for colour-blind readers and darker to lighter in greyscale) AND its own shape; the
// communes at the standard are filled diamonds with a dark outline, those with no
// approved assessment hollow grey circles. Colours and outlines are SVG attributes (the
// CSP forbids style attributes), so they print as they show.
document.addEventListener("DOMContentLoaded", () => {
  "use strict";
  const source = document.getElementById("commune-map-data");
  const container = document.getElementById("commune-map");
  if (!source || !container) {
    return;
  }
  const data = JSON.parse(source.textContent);
  const labels = data.labels;
  const SVG = "http://www.w3.org/2000/svg";

  // Viridis, 5 steps: the bands below the standard take the first ones, the standard the last.
  const PALETTE = ["#440154", "#3b528b", "#21918c", "#5ec962"];
  const STANDARD_COLOUR = "#fde725";
  const SHAPES = ["triangle-down", "square", "circle", "triangle-up"];
  const OUTLINE = "#1b1b1b";
  const UNASSESSED = "#6c757d";
  const KM_PER_DEGREE = 111.32;

  const MAP_WIDTH = 640; // the largest the map may be, in SVG units
  const MAP_HEIGHT = 700;
  const MARGIN = 34;
  const LEGEND_WIDTH = 380;
  const NARROW = 720; // CSS pixels: below this the legend goes under the map
  const DISTRICT_FONT = 15;
  const MAX_DISTRICT_NAMES = 30; // a map of the country names none: 700 names would hide it

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, (match, name) =>
      Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : match
    );
  }

  function element(name, attributes, parent) {
    const node = document.createElementNS(SVG, name);
    Object.keys(attributes || {}).forEach((key) => node.setAttribute(key, attributes[key]));
    if (parent) {
      parent.appendChild(node);
    }
    return node;
  }

  function text(parent, content, attributes) {
    const node = element("text", attributes, parent);
    node.textContent = content;
    return node;
  }

  function style(band) {
    if (band.unassessed) {
      return { shape: "hollow", fill: "#ffffff", stroke: UNASSESSED, width: 1.6 };
    }
    if (band.standard) {
      return { shape: "diamond", fill: STANDARD_COLOUR, stroke: OUTLINE, width: 1.8 };
    }
    const index = data.bands.indexOf(band);
    return { shape: SHAPES[index % SHAPES.length], fill: PALETTE[index % PALETTE.length], stroke: OUTLINE, width: 1.1 };
  }

  // One mark centred on (x, y); size is half its width.
  function mark(parent, look, x, y, size) {
    const common = { fill: look.fill, stroke: look.stroke, "stroke-width": look.width, class: "commune-mark" };
    const s = size;
    const points = (list) => list.map((p) => (x + p[0]).toFixed(1) + "," + (y + p[1]).toFixed(1)).join(" ");
    switch (look.shape) {
      case "square":
        return element("rect", Object.assign({ x: (x - s * 0.85).toFixed(1), y: (y - s * 0.85).toFixed(1), width: (s * 1.7).toFixed(1), height: (s * 1.7).toFixed(1) }, common), parent);
      case "triangle-down":
        return element("polygon", Object.assign({ points: points([[-s, -s * 0.8], [s, -s * 0.8], [0, s * 1.0]]) }, common), parent);
      case "triangle-up":
        return element("polygon", Object.assign({ points: points([[-s, s * 0.8], [s, s * 0.8], [0, -s * 1.0]]) }, common), parent);
      case "diamond":
        return element("polygon", Object.assign({ points: points([[0, -s * 1.25], [s * 1.25, 0], [0, s * 1.25], [-s * 1.25, 0]]) }, common), parent);
      case "hollow":
        return element("circle", Object.assign({ cx: x.toFixed(1), cy: y.toFixed(1), r: (s * 0.7).toFixed(1) }, common), parent);
      default:
        return element("circle", Object.assign({ cx: x.toFixed(1), cy: y.toFixed(1), r: (s * 0.9).toFixed(1) }, common), parent);
    }
  }

  function title(commune) {
    const place = commune.district ? fill(labels.place, { name: commune.name, district: commune.district }) : commune.name;
    if (commune.met === null) {
      return fill(labels.unassessed, { place: place });
    }
    return fill(commune.standard ? labels.standard : labels.assessed, { place: place, met: commune.met, total: commune.total });
  }

  function niceKilometres(pixelsPerKm, longest) {
    const steps = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000];
    let best = steps[0];
    steps.forEach((km) => {
      if (km * pixelsPerKm <= longest) {
        best = km;
      }
    });
    return best;
  }

  // Where to write a name near (x, y): the candidate box that covers the fewest marks and
  // overlaps no name already placed, inside the frame; the nearest among equals.
  function placeLabel(name, x, y, points, placed, markSize, frame) {
    const width = name.length * DISTRICT_FONT * 0.56;
    const height = DISTRICT_FONT * 1.1;
    let best = null;
    [0, -1, 1, -2, 2, -3, 3, -4, 4].forEach((row) => {
      [0, -1, 1, -2, 2].forEach((column) => {
        let cx = x + column * width * 0.3;
        const cy = y + row * height * 0.9;
        cx = Math.min(Math.max(cx, frame.left + width / 2 + 2), frame.right - width / 2 - 2);
        if (cy - height / 2 < frame.top || cy + height / 2 > frame.bottom) {
          return;
        }
        const box = { cx: cx, cy: cy, left: cx - width / 2, right: cx + width / 2, top: cy - height / 2, bottom: cy + height / 2 };
        const pad = markSize;
        let cost = 0;
        points.forEach((p) => {
          if (p[0] > box.left - pad && p[0] < box.right + pad && p[1] > box.top - pad && p[1] < box.bottom + pad) {
            cost += 1;
          }
        });
        placed.forEach((other) => {
          if (box.left < other.right && box.right > other.left && box.top < other.bottom && box.bottom > other.top) {
            cost += 100;
          }
        });
        const distance = Math.abs(cx - x) + Math.abs(cy - y);
        if (best === null || cost < best.cost || (cost === best.cost && distance < best.distance)) {
          best = Object.assign(box, { cost: cost, distance: distance });
        }
      });
    });
    return best || { cx: x, cy: y, left: x, right: x, top: y, bottom: y };
  }

  function draw() {
    const communes = data.communes;
    container.textContent = "";
    if (!communes.length) {
      const note = document.createElement("p");
      note.className = "text-body-secondary mb-0";
      note.textContent = labels.empty;
      container.appendChild(note);
      container.dataset.markers = "0";
      container.dataset.drawn = "true";
      return;
    }

    const meanLatitude = communes.reduce((sum, c) => sum + c.lat, 0) / communes.length;
    const cosine = Math.cos((meanLatitude * Math.PI) / 180);
    const xs = communes.map((c) => c.lon * cosine);
    const ys = communes.map((c) => -c.lat);
    let minX = Math.min(...xs);
    let maxX = Math.max(...xs);
    let minY = Math.min(...ys);
    let maxY = Math.max(...ys);
    // One commune, or communes in a line: give the map some extent (about 5 km).
    const least = 0.05;
    if (maxX - minX < least) {
      minX -= (least - (maxX - minX)) / 2;
      maxX = minX + least;
    }
    if (maxY - minY < least) {
      minY -= (least - (maxY - minY)) / 2;
      maxY = minY + least;
    }
    const scale = Math.min(MAP_WIDTH / (maxX - minX), MAP_HEIGHT / (maxY - minY));
    const mapWidth = (maxX - minX) * scale;
    const mapHeight = (maxY - minY) * scale;
    const project = (i) => [MARGIN + (xs[i] - minX) * scale, MARGIN + (ys[i] - minY) * scale];
    const markSize = Math.max(5, Math.min(8, 2600 / Math.sqrt(communes.length * 100 + 1)));

    // The legend beside the map, or under it in a narrow container (a phone, a tablet).
    const stacked = container.clientWidth > 0 && container.clientWidth < NARROW;
    const rowHeight = 30;
    const legendHeight = 56 + data.bands.length * rowHeight + 110;
    const legendX = stacked ? MARGIN : MARGIN * 2 + mapWidth;
    const legendTop = stacked ? mapHeight + MARGIN * 1.5 : 0;
    const width = stacked ? Math.max(mapWidth + MARGIN * 2, LEGEND_WIDTH + MARGIN) : legendX + LEGEND_WIDTH;
    const height = stacked ? legendTop + legendHeight : Math.max(mapHeight + MARGIN * 2, legendHeight + MARGIN);

    const svg = element("svg", {
      xmlns: SVG,
      viewBox: "0 0 " + width.toFixed(0) + " " + height.toFixed(0),
      width: "100%",
      role: "group",
      "aria-labelledby": "commune-map-title",
      "font-family": "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
      class: "commune-map-svg",
    });
    const svgTitle = element("title", { id: "commune-map-title" }, svg);
    svgTitle.textContent = labels.map;

    // The map's frame.
    element("rect", {
      x: (MARGIN / 2).toFixed(1), y: (MARGIN / 2).toFixed(1),
      width: (mapWidth + MARGIN).toFixed(1), height: (mapHeight + MARGIN).toFixed(1),
      fill: "#f6f8f7", stroke: "#adb5bd", "stroke-width": 1, rx: 6,
    }, svg);

    // District names, behind the marks, near the middle of their communes, each moved to
    // where it covers the fewest marks and no other name.
    const points = communes.map((c, i) => project(i));
    const districts = new Map();
    communes.forEach((c, i) => {
      if (!c.district) {
        return;
      }
      const entry = districts.get(c.district) || { x: 0, y: 0, n: 0 };
      entry.x += points[i][0];
      entry.y += points[i][1];
      entry.n += 1;
      districts.set(c.district, entry);
    });
    const placed = [];
    const names = element("g", { "aria-hidden": "true", "pointer-events": "none" }, svg);
    (districts.size <= MAX_DISTRICT_NAMES ? districts : new Map()).forEach((entry, name) => {
      const box = placeLabel(name, entry.x / entry.n, entry.y / entry.n, points, placed, markSize, {
        left: MARGIN / 2, top: MARGIN / 2, right: MARGIN * 1.5 + mapWidth, bottom: MARGIN * 1.5 + mapHeight,
      });
      placed.push(box);
      text(names, name, {
        x: box.cx.toFixed(1), y: box.cy.toFixed(1),
        "text-anchor": "middle", "dominant-baseline": "central",
        "font-size": DISTRICT_FONT, "font-weight": 600, fill: "#5a6470",
        stroke: "#f6f8f7", "stroke-width": 4, "paint-order": "stroke", "stroke-linejoin": "round",
        class: "commune-map-district",
      });
    });

    // The communes: a link to each unit page, titled for a pointer and a screen reader.
    const looks = data.bands.map(style);
    const marks = element("g", { class: "commune-marks" }, svg);
    let count = 0;
    communes.forEach((commune, i) => {
      const [x, y] = points[i];
      const label = title(commune);
      const link = element("a", { href: commune.url, "aria-label": label, "data-band": data.bands[commune.band].key }, marks);
      element("title", {}, link).textContent = label;
      mark(link, looks[commune.band], x, y, markSize);
      count += 1;
    });

    // The legend, with the count of communes in each band.
    const legend = element("g", { class: "commune-map-legend" }, svg);
    let y = legendTop + MARGIN + 14;
    text(legend, labels.legend, { x: legendX, y: y, "font-size": 17, "font-weight": 700, fill: "#212529" });
    y += 18;
    data.bands.forEach((band, index) => {
      y += rowHeight;
      const row = element("g", { "data-band": band.key, class: "commune-map-legend-row" }, legend);
      mark(row, looks[index], legendX + 10, y - 5, 8);
      text(row, band.label, { x: legendX + 30, y: y, "font-size": 15, fill: "#212529" });
      text(row, band.count_text, {
        x: legendX + LEGEND_WIDTH - MARGIN, y: y, "font-size": 15, "font-weight": 700,
        "text-anchor": "end", fill: "#212529", "data-count": band.count, class: "commune-map-count",
      });
    });

    // Scale bar and north arrow, under the legend (never over a commune).
    const pixelsPerKm = scale / KM_PER_DEGREE;
    const km = niceKilometres(pixelsPerKm, LEGEND_WIDTH - MARGIN * 3);
    const barLength = km * pixelsPerKm;
    y += 52;
    const bar = element("g", { "aria-hidden": "true" }, legend);
    element("rect", { x: legendX, y: y, width: (barLength / 2).toFixed(1), height: 6, fill: "#212529" }, bar);
    element("rect", { x: (legendX + barLength / 2).toFixed(1), y: y, width: (barLength / 2).toFixed(1), height: 6, fill: "#ffffff", stroke: "#212529", "stroke-width": 1 }, bar);
    text(bar, "0", { x: legendX, y: y + 22, "font-size": 13, "text-anchor": "middle", fill: "#212529" });
    text(bar, fill(labels.scale, { n: km }), { x: (legendX + barLength).toFixed(1), y: y + 22, "font-size": 13, "text-anchor": "middle", fill: "#212529" });
    const arrowX = legendX + LEGEND_WIDTH - MARGIN - 12;
    element("polygon", { points: [arrowX, y - 30, arrowX + 9, y + 4, arrowX, y - 3, arrowX - 9, y + 4].join(" "), fill: "#212529" }, bar);
    text(bar, labels.north, { x: arrowX, y: y + 22, "font-size": 14, "font-weight": 700, "text-anchor": "middle", fill: "#212529" });

    container.classList.toggle("commune-map-stacked", stacked);
    container.appendChild(svg);
    container.dataset.markers = String(count);
    container.dataset.drawn = "true";
  }

  draw();
});
