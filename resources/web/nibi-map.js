/* NIBI Desk map page: assets by type and state, viewport loading over QWebChannel (or clusters of a static export),
 * legend and type toggles, graticule and place labels without a basemap, popups, selection, pick / measure / nearby.
 *
 * Started by page.py with NibiMap.init(map, config). Python calls in with runJavaScript (NibiMap.centerOn, setMode,
 * setBasemap, refresh ...); scripts sent from Python end with "; 0" so that no Leaflet object is returned to Qt.
 * Everything is local: no URL here leaves nibi:// (or the export folder).
 */
(function () {
  'use strict';

  var EARTH_RADIUS_M = 6371008.8; // the same sphere as nibi_desk.domain.coords.haversine_m
  var GRID_STEPS = [10, 5, 2, 1, 0.5, 0.25, 0.2, 0.1, 0.05, 1 / 30, 0.02, 0.01, 1 / 120, 0.005, 0.002, 0.001,
    0.0005, 0.0002, 0.0001];

  var N = window.NibiMap = {
    ready: false,          // the first answer has been drawn
    blocked: [],           // URLs the Content-Security-Policy refused (must stay empty)
    stats: {requests: 0, answers: 0, dropped: 0, firstPaint: null, rounds: [], detail: []},
    mode: 'browse'
  };

  document.addEventListener('securitypolicyviolation', function (e) {
    N.blocked.push(e.blockedURI || String(e.violatedDirective));
    if (N.bridge && N.bridge.blocked) { N.bridge.blocked(e.blockedURI || ''); }
  });

  var map, cfg, text, canvas, typeByCode = {}, visible = {}, seq = 0, pending = null;
  var cellLayer, pointLayer, markLayer, toolLayer, labelLayer, gridLayer, gridLabels, basemapLayer = null;
  var staticMarkers = {}, selected = {seq: null, id: null, at: null}, statusBox, legendBox, coordBox, cluster = null;
  var staticPoints = null, measureFrom = null, rubber = null, last = null, pointSet = null, points = null;
  var detailCache = new Map(), detailWaiting = {}, detailSeq = 0, fontStack = 'sans-serif';

  function fmt(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (m, k) { return k in values ? values[k] : m; });
  }

  function esc(s) {
    return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) {
      return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c];
    });
  }

  function countText(n) {
    if (cfg.lang === 'zh_CN' && n >= 10000) { return (n / 10000).toFixed(n >= 100000 ? 0 : 1) + '万'; }
    if (cfg.lang !== 'zh_CN' && n >= 1000) { return (n / 1000).toFixed(n >= 10000 ? 0 : 1) + 'k'; }
    return String(n);
  }

  function distanceM(a, b) {
    var rad = Math.PI / 180, p1 = a.lat * rad, p2 = b.lat * rad, dp = p2 - p1, dl = (b.lng - a.lng) * rad;
    var h = Math.sin(dp / 2) * Math.sin(dp / 2) + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) * Math.sin(dl / 2);
    return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  function distanceText(m) {
    if (m < 1000) { return Math.round(m) + ' m'; }
    return (m / 1000).toFixed(m < 100000 ? 2 : 0) + ' km';
  }

  function coordText(lat, lng) {
    return lng.toFixed(6) + '°E, ' + lat.toFixed(6) + '°N';
  }

  // -- symbols on the canvas ---------------------------------------------------------------------------------
  L.Canvas.include({
    _nibiCell: function (layer) {
      if (!this._drawing || layer._empty()) { return; }
      this._updateCircle(layer);
      var p = layer._point, ctx = this._ctx, r = layer._radius, o = layer.options;
      if (o.share > 0) {
        ctx.beginPath();
        ctx.arc(p.x, p.y, r + 2, -Math.PI / 2, -Math.PI / 2 + 2 * Math.PI * Math.max(o.share, 0.04), false);
        ctx.lineWidth = 3;
        ctx.strokeStyle = '#dc2626';
        ctx.globalAlpha = 1;
        ctx.setLineDash([]);
        ctx.stroke();
      }
      ctx.fillStyle = '#ffffff';
      ctx.globalAlpha = 1;
      ctx.font = 'bold ' + (r > 18 ? 13 : 11) + 'px ' + fontStack;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillText(o.label, p.x, p.y + 0.5);
    }
  });

  var Cell = L.CircleMarker.extend({
    _updatePath: function () { this._renderer._nibiCell(this); },
    _updateBounds: function () {
      var r = this._radius + 4, w = this._clickTolerance(), p = [r + w, r + w];
      this._pxBounds = new L.Bounds(this._point.subtract(p), this._point.add(p));
    }
  });

  // Every point of a viewport answer as ONE canvas layer: the answer's columns (seq, position, type, status) become
  // typed arrays, drawn in one pass (the most urgent states last, on top) and hit-tested through a hash of 32-pixel
  // buckets. Thousands of Leaflet layers would cost tens of milliseconds to create and a DOM node or more each.
  var BUCKET = 32;

  var PointSet = L.Path.extend({
    options: {interactive: true, bubblingMouseEvents: false},
    initialize: function (pts, options) {
      L.setOptions(this, options);
      this._pts = pts; // {n, seq, lat, lng, style (one shared object per type and state), order}
      this._hit = -1;
    },
    _project: function () {
      var map = this._map, pts = this._pts, n = pts.n, xy = new Float64Array(2 * n), buckets = new Map();
      var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity, origin = map.getPixelOrigin();
      var zoom = map.getZoom(), crs = map.options.crs;
      for (var i = 0; i < n; i++) {
        var p = crs.latLngToPoint(L.latLng(pts.lat[i], pts.lng[i]), zoom), x = p.x - origin.x, y = p.y - origin.y;
        xy[2 * i] = x;
        xy[2 * i + 1] = y;
        if (x < minX) { minX = x; } if (x > maxX) { maxX = x; }
        if (y < minY) { minY = y; } if (y > maxY) { maxY = y; }
        var key = Math.floor(x / BUCKET) + ',' + Math.floor(y / BUCKET), list = buckets.get(key);
        if (list) { list.push(i); } else { buckets.set(key, [i]); }
      }
      var r = symbolRadius() * 1.3 + 4;
      this._xy = xy;
      this._buckets = buckets;
      this._pxBounds = n ? new L.Bounds([minX - r, minY - r], [maxX + r, maxY + r]) : new L.Bounds([0, 0], [0, 0]);
    },
    _update: function () { if (this._map) { this._updatePath(); } },
    _updatePath: function () { this._renderer._nibiPointSet(this); },
    _empty: function () { return !this._pts.n || !this._renderer._bounds.intersects(this._pxBounds); },
    _containsPoint: function (p) {
      var r = symbolRadius() * 1.2 + this._clickTolerance(), best = -1, bestRank = -1, bestD = r * r;
      var rank = this._pts.rank;
      var x0 = Math.floor((p.x - r) / BUCKET), x1 = Math.floor((p.x + r) / BUCKET);
      var y0 = Math.floor((p.y - r) / BUCKET), y1 = Math.floor((p.y + r) / BUCKET);
      for (var bx = x0; bx <= x1; bx++) {
        for (var by = y0; by <= y1; by++) {
          var list = this._buckets.get(bx + ',' + by);
          if (!list) { continue; }
          for (var k = 0; k < list.length; k++) {
            var i = list[k], dx = this._xy[2 * i] - p.x, dy = this._xy[2 * i + 1] - p.y, d = dx * dx + dy * dy;
            // The nearest; of equals, the one drawn on top (higher rank, then later).
            if (d < bestD || (d === bestD && (rank[i] > bestRank || (rank[i] === bestRank && i > best)))) {
              bestD = d; best = i; bestRank = rank[i];
            }
          }
        }
      }
      this._hit = best;
      return best >= 0;
    },
    hitIndex: function () { return this._hit; },
    latLngAt: function (i) { return L.latLng(this._pts.lat[i], this._pts.lng[i]); }
  });

  L.Canvas.include({
    _nibiPointSet: function (layer) {
      if (!this._drawing || layer._empty()) { return; }
      var ctx = this._ctx, xy = layer._xy, pts = layer._pts, order = pts.order, bounds = this._redrawBounds;
      var r = symbolRadius(), pad = r * 1.3 + 4, dashed = false;
      for (var k = 0; k < order.length; k++) {
        var i = order[k], x = xy[2 * i], y = xy[2 * i + 1];
        if (bounds && (x < bounds.min.x - pad || x > bounds.max.x + pad || y < bounds.min.y - pad ||
            y > bounds.max.y + pad)) { continue; }
        var st = pts.style[i];
        ctx.beginPath();
        shapePath(ctx, st.shape, x, y, r);
        ctx.globalAlpha = st.fillOpacity;
        ctx.fillStyle = st.fillColor;
        ctx.fill();
        ctx.globalAlpha = 1;
        ctx.lineWidth = st.weight;
        ctx.strokeStyle = st.color;
        if (st.dash || dashed) { ctx.setLineDash(st.dash || []); dashed = !!st.dash; }
        ctx.stroke();
      }
      ctx.setLineDash([]);
    }
  });

  function shapePath(ctx, s, x, y, r) {
    if (s === 'square') {
      ctx.rect(x - r * 0.86, y - r * 0.86, r * 1.72, r * 1.72);
    } else if (s === 'triangle') {
      ctx.moveTo(x, y - r * 1.2);
      ctx.lineTo(x + r * 1.1, y + r * 0.8);
      ctx.lineTo(x - r * 1.1, y + r * 0.8);
      ctx.closePath();
    } else if (s === 'diamond') {
      ctx.moveTo(x, y - r * 1.15);
      ctx.lineTo(x + r * 1.15, y);
      ctx.lineTo(x, y + r * 1.15);
      ctx.lineTo(x - r * 1.15, y);
      ctx.closePath();
    } else {
      ctx.arc(x, y, r, 0, Math.PI * 2, false);
    }
  }

  function stateOf(statusIndex, flags) {
    var status = (cfg.statuses[statusIndex] || {}).code;
    if (status === 'faulty') { return 'faulty'; }
    if (flags & 1) { return 'defect'; }
    if (flags & 2) { return 'overdue'; }
    if (status === 'planned' || status === 'under_construction') { return 'pending'; }
    if (status === 'decommissioned') { return 'decommissioned'; }
    return 'in_service';
  }

  function stateColour(state) {
    for (var i = 0; i < cfg.states.length; i++) { if (cfg.states[i].code === state) { return cfg.states[i].color; } }
    return '#ffffff';
  }

  function symbolRadius() {
    var z = map.getZoom();
    return z >= 17 ? 7 : z >= 15 ? 6 : z >= 12 ? 5 : 4;
  }

  var styleCache = {};

  function symbolStyle(type, state) {
    var key = type + '|' + state;
    if (styleCache[key]) { return styleCache[key]; }
    var t = typeByCode[type] || {shape: 'diamond', color: '#6b7280'};
    var style = {shape: t.shape, fillColor: t.color, fillOpacity: 0.95, color: '#ffffff', weight: 1.5,
      dashArray: null, dash: null};
    if (state === 'faulty' || state === 'defect' || state === 'overdue') {
      style.color = stateColour(state);
      style.weight = 3;
      if (state === 'overdue') { style.dashArray = '3,2'; style.dash = [3, 2]; }
    } else if (state === 'pending') {
      style.fillColor = '#ffffff';
      style.color = t.color;
      style.weight = 2;
    } else if (state === 'decommissioned') {
      style.fillOpacity = 0.35;
      style.color = '#9ca3af';
    }
    styleCache[key] = style;
    return style;
  }

  function svgSymbol(shape, fill, stroke, width, dash, size) {
    var s = size || 16, c = s / 2, r = s * 0.3, body;
    if (shape === 'square') {
      body = '<rect x="' + (c - r * 0.86) + '" y="' + (c - r * 0.86) + '" width="' + r * 1.72 + '" height="' +
        r * 1.72 + '"';
    } else if (shape === 'triangle') {
      body = '<polygon points="' + c + ',' + (c - r * 1.2) + ' ' + (c + r * 1.1) + ',' + (c + r * 0.8) + ' ' +
        (c - r * 1.1) + ',' + (c + r * 0.8) + '"';
    } else if (shape === 'diamond') {
      body = '<polygon points="' + c + ',' + (c - r * 1.15) + ' ' + (c + r * 1.15) + ',' + c + ' ' + c + ',' +
        (c + r * 1.15) + ' ' + (c - r * 1.15) + ',' + c + '"';
    } else {
      body = '<circle cx="' + c + '" cy="' + c + '" r="' + r + '"';
    }
    return '<svg class="nibi-symbol" width="' + s + '" height="' + s + '" viewBox="0 0 ' + s + ' ' + s + '">' + body +
      ' fill="' + fill + '" stroke="' + stroke + '" stroke-width="' + width + '"' +
      (dash ? ' stroke-dasharray="' + dash + '"' : '') + '/></svg>';
  }

  // -- controls ------------------------------------------------------------------------------------------------
  function control(position, className, build) {
    var C = L.Control.extend({
      options: {position: position},
      onAdd: function () {
        var div = L.DomUtil.create('div', 'nibi-panel ' + className);
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        build(div);
        return div;
      }
    });
    return new C().addTo(map);
  }

  function buildLegend(div) {
    var html = '<div class="nibi-legend-title" title="' + esc(text.legend_toggle) + '">' + esc(text.legend) +
      '<span class="nibi-legend-fold">▾</span></div><div class="nibi-legend-body">';
    html += '<div class="nibi-legend-section">' + esc(text.types) + '</div>';
    cfg.types.forEach(function (t) {
      html += '<label class="nibi-legend-row"><input type="checkbox" data-type="' + esc(t.code) + '" checked>' +
        svgSymbol(t.shape, t.color, '#ffffff', 1.2) + '<span>' + esc(t.name) + '</span></label>';
    });
    html += '<div class="nibi-legend-section">' + esc(text.states) + '</div>';
    cfg.states.forEach(function (s) {
      var st = {faulty: ['#9ca3af', s.color, 2.6, null], defect: ['#9ca3af', s.color, 2.6, null],
        overdue: ['#9ca3af', s.color, 2.6, '3,2'], in_service: ['#9ca3af', '#ffffff', 1.2, null],
        pending: ['#ffffff', '#6b7280', 1.8, null], decommissioned: ['rgba(156,163,175,0.4)', '#9ca3af', 1.2, null]
      }[s.code] || ['#9ca3af', s.color, 2, null];
      html += '<div class="nibi-legend-row">' + svgSymbol('circle', st[0], st[1], st[2], st[3]) + '<span>' +
        esc(s.name) + '</span></div>';
    });
    html += '<div class="nibi-legend-row nibi-legend-cells"><span class="nibi-cell-swatch' +
      (cfg.mode === 'static' ? ' nibi-cell-static' : '') + '">12</span><span>' +
      esc(cfg.mode === 'static' ? text.cells_static : text.cells) + '</span></div></div>';
    div.innerHTML = html;
    div.querySelector('.nibi-legend-title').addEventListener('click', function () {
      L.DomUtil[L.DomUtil.hasClass(div, 'nibi-folded') ? 'removeClass' : 'addClass'](div, 'nibi-folded');
    });
    div.querySelectorAll('input[data-type]').forEach(function (box) {
      box.addEventListener('change', function () { N.setTypeVisible(box.getAttribute('data-type'), box.checked); });
    });
    legendBox = div;
  }

  function setStatus(message) {
    if (statusBox) {
      statusBox.textContent = message ? (cfg.county ? cfg.county.name + ' · ' : '') + message : '';
      statusBox.style.display = message ? '' : 'none';
    }
  }

  function modeHint() {
    if (N.mode === 'pick') { return text.pick_hint; }
    if (N.mode === 'measure') { return text.measure_hint; }
    if (N.mode === 'within') { return fmt(text.within_hint, {radius: N.radius}); }
    return null;
  }

  // -- graticule and labels of the plain canvas -------------------------------------------------------------------
  function degreesText(v, step, pos, neg) {
    var a = Math.abs(v), h = v >= 0 ? pos : neg;
    if (step >= 1) { return Math.round(a) + '°' + h; }
    var minutes = step * 60;
    if (Math.abs(minutes - Math.round(minutes)) < 1e-9 || Math.abs(minutes * 2 - Math.round(minutes * 2)) < 1e-9) {
      var total = Math.round(a * 120) / 2, d = Math.floor(total / 60), m = total - d * 60;
      return d + '°' + (m < 10 ? '0' : '') + m + '′' + h;
    }
    var places = Math.max(0, Math.ceil(-Math.log10(step) + 1e-9));
    return a.toFixed(places) + '°' + h;
  }

  function drawGraticule() {
    gridLayer.clearLayers();
    gridLabels.clearLayers();
    if (!map.hasLayer(gridLayer)) { return; }
    // The same step both ways, the finest that draws at most ten lines across the longer side.
    var b = map.getBounds(), step = GRID_STEPS[0];
    var span = Math.max(b.getEast() - b.getWest(), b.getNorth() - b.getSouth(), 1e-6);
    for (var i = 0; i < GRID_STEPS.length; i++) { if (span / GRID_STEPS[i] <= 10) { step = GRID_STEPS[i]; } }
    var west = Math.ceil(b.getWest() / step) * step, south = Math.ceil(b.getSouth() / step) * step;
    var style = {color: '#8a9aa9', weight: 0.8, opacity: 0.55, interactive: false, renderer: gridRenderer};
    var top = b.getNorth(), bottom = b.getSouth(), left = b.getWest(), right = b.getEast();
    var size = map.getSize(), labelLat = map.containerPointToLatLng([0, size.y - 34]).lat;
    var labelLng = map.containerPointToLatLng([6, 0]).lng;
    for (var x = west; x <= right; x += step) {
      gridLayer.addLayer(L.polyline([[bottom, x], [top, x]], style));
      gridLabels.addLayer(L.marker([labelLat, x], {interactive: false, keyboard: false, icon: L.divIcon({
        className: 'nibi-grid-label nibi-grid-lon', html: degreesText(x, step, 'E', 'W'), iconSize: null})}));
    }
    for (var y = south; y <= top; y += step) {
      gridLayer.addLayer(L.polyline([[y, left], [y, right]], style));
      var labelY = map.latLngToContainerPoint([y, labelLng]).y;
      if (labelY < 110 || labelY > size.y - 70) { continue; } // under the zoom buttons or the coordinates
      gridLabels.addLayer(L.marker([y, labelLng], {interactive: false, keyboard: false, icon: L.divIcon({
        className: 'nibi-grid-label nibi-grid-lat', html: degreesText(y, step, 'N', 'S'), iconSize: null})}));
    }
  }

  var gridRenderer;

  function drawLabels() {
    labelLayer.clearLayers();
    var z = map.getZoom();
    if (cfg.county && (z <= 9 || !cfg.labels || !cfg.labels.length)) {
      labelLayer.addLayer(L.marker([cfg.county.lat, cfg.county.lon], {interactive: false, keyboard: false,
        icon: L.divIcon({className: 'nibi-label nibi-label-county', html: esc(cfg.county.name), iconSize: null})}));
    }
    if (cfg.labels && z >= 10) {
      cfg.labels.forEach(function (t) {
        labelLayer.addLayer(L.marker([t.lat, t.lon], {interactive: false, keyboard: false, icon: L.divIcon({
          className: 'nibi-label nibi-label-township', html: esc(t.name), iconSize: null})}));
      });
    }
  }

  function plainCanvas(on) {
    var el = map.getContainer();
    if (on) {
      L.DomUtil.addClass(el, 'nibi-plain');
      if (!map.hasLayer(gridLayer)) { gridLayer.addTo(map); gridLabels.addTo(map); }
      map.attributionControl.addAttribution(cfg.mode === 'static' ? text.no_basemap_static : text.no_basemap);
    } else {
      L.DomUtil.removeClass(el, 'nibi-plain');
      map.removeLayer(gridLayer);
      map.removeLayer(gridLabels);
      map.attributionControl.removeAttribution(text.no_basemap);
      map.attributionControl.removeAttribution(text.no_basemap_static);
    }
    drawGraticule();
  }

  // -- data: the viewport answers of the app ----------------------------------------------------------------------
  function visibleTypes() {
    var list = [], all = true;
    cfg.types.forEach(function (t) { if (visible[t.code]) { list.push(t.code); } else { all = false; } });
    return all ? null : list;
  }

  function request() {
    if (!N.bridge) { return; }
    var b = map.getBounds().pad(0.15), size = map.getSize(), id = ++seq;
    pending = {id: id, t0: N._moveStart ? N._moveStart.t : performance.now(), sent: performance.now()};
    N._moveStart = null;
    N.stats.requests++;
    N.bridge.requestViewport(JSON.stringify({id: id, west: b.getWest(), south: b.getSouth(), east: b.getEast(),
      north: b.getNorth(), zoom: map.getZoom(), types: visibleTypes(), px: [size.x * 1.3, size.y * 1.3],
      sent: performance.timeOrigin + performance.now()})); // wall-clock ms: Python times the way over
  }

  // Each drawn answer's stages go to NibiMap.stats.detail (bench/map.py): ms from the move to the request (Leaflet),
  // from the request to the answer's arrival (QWebChannel both ways + Python), parsing, drawing, and on to the next
  // animation frame; rounds holds the whole round trip, move to frame.
  function onViewport(json) {
    var arrived = performance.now(), answer = JSON.parse(json), parsed = performance.now();
    if (answer.id !== seq) { N.stats.dropped++; return; } // superseded by a newer request
    N.stats.answers++;
    if (answer.error) { setStatus(fmt(text.error, {message: answer.error})); return; }
    draw(answer);
    var drawn = performance.now(), timed = pending && pending.id === answer.id ? pending : null;
    requestAnimationFrame(function () {
      var now = performance.now();
      if (timed) {
        N.stats.rounds.push(now - timed.t0);
        N.stats.detail.push({id: answer.id, kind: answer.kind,
          n: answer.kind === 'cells' ? answer.cells.length : answer.seq.length, pre: timed.sent - timed.t0,
          wait: arrived - timed.sent, parse: parsed - arrived, draw: drawn - parsed, frame: now - drawn,
          bytes: json.length});
      }
      if (N.stats.firstPaint === null) { N.stats.firstPaint = now; }
      N.ready = true;
      N.lastDrawn = answer.id;
      if (N.onRound) { N.onRound(N.stats.rounds.length, answer.id === seq); } // a hook for benchmarks
    });
  }

  // Drawn bottom to top: the more urgent a state, the later (on top) its symbols.
  var STATE_RANK = {decommissioned: 0, pending: 1, in_service: 2, overdue: 3, defect: 4, faulty: 5};

  function pointsOf(answer) {
    var n = answer.seq.length, lat = new Float64Array(n), lng = new Float64Array(n), style = new Array(n);
    var rank = new Uint8Array(n), counts = [0, 0, 0, 0, 0, 0, 0], order = new Uint32Array(n), states = new Array(n);
    var i;
    var defect = new Set(answer.defect || []), overdue = new Set(answer.overdue || []), index = new Map();
    for (i = 0; i < n; i++) {
      var seq = answer.seq[i];
      var state = stateOf(answer.status[i], (defect.has(seq) ? 1 : 0) | (overdue.has(seq) ? 2 : 0));
      lat[i] = answer.lat_e6[i] / 1e6;
      lng[i] = answer.lon_e6[i] / 1e6;
      style[i] = symbolStyle(answer.types[answer.type[i]], state);
      rank[i] = STATE_RANK[state];
      states[i] = state;
      counts[rank[i] + 1]++;
      index.set(seq, i);
    }
    for (i = 1; i < counts.length; i++) { counts[i] += counts[i - 1]; } // a counting sort by rank, stable
    for (i = 0; i < n; i++) { order[counts[rank[i]]++] = i; }
    return {n: n, seq: answer.seq, lat: lat, lng: lng, style: style, rank: rank, order: order, index: index,
      state: states};
  }

  function draw(answer) {
    last = answer;
    cellLayer.clearLayers();
    if (answer.kind === 'cells') {
      pointLayer.clearLayers();
      pointSet = null;
      points = null;
      answer.cells.forEach(function (c) {
        var n = c[2], r = Math.min(28, 9 + 4.2 * Math.log(n) / Math.LN10);
        var cell = new Cell([c[1], c[0]], {radius: r, renderer: canvas, fillColor: '#1e6fd9', fillOpacity: 0.82,
          color: '#ffffff', weight: 1.5, opacity: 0.9, label: countText(n), share: c[3] / n});
        cell.nibi = c;
        cellLayer.addLayer(cell);
      });
    } else {
      points = pointsOf(answer);
      if (pointSet) { // one layer, new data: no layer removed or added
        pointSet._pts = points;
        pointSet._hit = -1;
        pointSet.redraw();
      } else {
        pointSet = new PointSet(points, {renderer: canvas});
        pointLayer.addLayer(pointSet);
      }
      if (selected.seq !== null && points.index.has(selected.seq)) { // follows an edited position
        selected.at = pointSet.latLngAt(points.index.get(selected.seq));
      }
    }
    var hint = modeHint();
    setStatus(hint || (answer.kind === 'cells' ? fmt(text.cells_in_view, {n: answer.total}) :
      fmt(text.assets_in_view, {n: answer.total})));
    drawSelection();
  }

  // -- static export: clusters in the page ------------------------------------------------------------------------
  function loadStatic() {
    var data = window.NIBI_ASSETS || {points: [], total: 0};
    staticPoints = data.points;
    cluster = L.markerClusterGroup({chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 60});
    cluster.addTo(map);
    fillStatic();
    if (data.total > data.points.length) {
      setStatus(fmt(text.static_limited, {shown: data.points.length, total: data.total}));
    }
    N.ready = true;
    N.stats.firstPaint = performance.now();
  }

  function fillStatic() {
    cluster.clearLayers();
    staticMarkers = {};
    var list = [];
    staticPoints.forEach(function (p) {
      if (!visible[p[1]]) { return; }
      var st = symbolStyle(p[1], stateOf(p[2], p[7]));
      var m = L.marker([p[4], p[3]], {icon: L.divIcon({className: 'nibi-static-symbol', iconSize: [18, 18],
        html: svgSymbol(st.shape, st.fillColor, st.color, st.weight, st.dashArray, 18)})});
      m.on('click', function () { selectStatic(p); });
      staticMarkers[p[0]] = m;
      list.push(m);
    });
    cluster.addLayers(list);
  }

  // An exported page's row [id, type, status index, lon, lat, name, code, flags, last] as the popup's details.
  function staticDetails(p) {
    return {id: p[0], seq: null, type: p[1], status: (cfg.statuses[p[2]] || {}).code, name: p[5], code: p[6],
      lon: p[3], lat: p[4], last: p[8], open_defects: p[7] & 1 ? 1 : 0, inspection_overdue: !!(p[7] & 2)};
  }

  // -- details of one asset (popup, tooltip), asked from Python by seq ------------------------------------------
  function askDetails(seq, selecting, callback) {
    if (!selecting && detailCache.has(seq)) { callback(detailCache.get(seq)); return; }
    if (!N.bridge) { return; }
    var req = ++detailSeq;
    detailWaiting[req] = callback;
    N.bridge.assetDetails(JSON.stringify({req: req, seq: seq, select: !!selecting}));
  }

  function onAsset(json) {
    var answer = JSON.parse(json), callback = detailWaiting[answer.req];
    delete detailWaiting[answer.req];
    if (answer.asset) {
      if (detailCache.size > 500) { detailCache.clear(); }
      detailCache.set(answer.seq, answer.asset);
    }
    if (callback && answer.asset) { callback(answer.asset); }
  }

  // -- selection and popups ---------------------------------------------------------------------------------------
  function popupHtml(d) {
    var t = typeByCode[d.type], status = null, states = [];
    cfg.statuses.forEach(function (s) { if (s.code === d.status) { status = s.name; } });
    if (d.open_defects) {
      states.push(stateColourName('defect') + (d.open_defects > 1 ? ' ×' + d.open_defects : '') +
        (d.overdue_defects ? fmt(text.defects_overdue, {n: d.overdue_defects}) : ''));
    }
    if (d.inspection_overdue) { states.push(stateColourName('overdue')); }
    return '<div class="nibi-popup"><div class="nibi-popup-name">' + esc(d.name) + '</div><table>' +
      '<tr><th>' + esc(text.code) + '</th><td>' + esc(d.code || '—') + '</td></tr>' +
      '<tr><th>' + esc(text.type) + '</th><td>' + esc(t ? t.name : d.type) + '</td></tr>' +
      '<tr><th>' + esc(text.status) + '</th><td>' + esc(status || d.status || '') + '</td></tr>' +
      (states.length ? '<tr><th>' + esc(text.inspection_state) + '</th><td class="nibi-popup-alert">' +
        esc(states.join('，')) + '</td></tr>' : '') +
      '<tr><th>' + esc(text.last_inspection) + '</th><td>' + esc(d.last || text.never) + '</td></tr>' +
      '<tr><th>' + esc(text.position) + '</th><td>' + coordText(d.lat, d.lon) + '</td></tr></table></div>';
  }

  function stateColourName(code) {
    for (var i = 0; i < cfg.states.length; i++) { if (cfg.states[i].code === code) { return cfg.states[i].name; } }
    return code;
  }

  function selectPoint(i) {
    var seq = points.seq[i], at = pointSet.latLngAt(i);
    selected = {seq: seq, id: null, at: at};
    var popup = L.popup({offset: [0, -4], autoPan: true}).setLatLng(at)
      .setContent('<div class="nibi-popup">' + esc(text.busy) + '</div>').openOn(map);
    drawSelection();
    askDetails(seq, true, function (d) {
      if (selected.seq !== seq) { return; }
      selected.id = d.id;
      N.lastSelected = d.id;
      if (map.hasLayer(popup)) { popup.setContent(popupHtml(d)); }
    });
  }

  function selectStatic(p) {
    selected = {seq: null, id: p[0], at: L.latLng(p[4], p[3])};
    L.popup({offset: [0, -4], autoPan: true}).setLatLng(selected.at).setContent(popupHtml(staticDetails(p)))
      .openOn(map);
    drawSelection();
    N.lastSelected = p[0];
  }

  function drawSelection() {
    markLayer.eachLayer(function (l) { if (l.nibiSelection) { markLayer.removeLayer(l); } });
    if (!selected.at) { return; }
    [[14, '#ffffff', 5], [13, '#111827', 2.5]].forEach(function (r) { // a dark ring with a white halo
      var ring = L.circleMarker(selected.at, {radius: r[0], color: r[1], weight: r[2], fill: false,
        interactive: false});
      ring.nibiSelection = true;
      markLayer.addLayer(ring);
    });
  }

  function onLayerClick(e) {
    var layer = e.layer || e.sourceTarget;
    L.DomEvent.stopPropagation(e);
    if (N.mode !== 'browse') { onMapClick(e); return; }
    if (layer && layer.nibi && layer instanceof Cell) {
      map.setView(layer.getLatLng(), Math.min(map.getZoom() + 2, cfg.maxZoom));
    } else if (layer && layer instanceof PointSet && layer.hitIndex() >= 0) {
      selectPoint(layer.hitIndex());
    }
  }

  // -- tools: pick, measure, nearby ------------------------------------------------------------------------------
  function onMapClick(e) {
    var at = e.latlng;
    if (N.mode === 'pick') {
      toolLayer.clearLayers();
      L.circleMarker(at, {radius: 7, color: '#ffffff', weight: 2, fillColor: '#ea580c', fillOpacity: 1,
        interactive: false}).addTo(toolLayer).bindTooltip(esc(text.picked) + '<br>' + coordText(at.lat, at.lng),
        {permanent: true, direction: 'right', offset: [8, 0]});
      N.lastPicked = [at.lng, at.lat];
      if (N.bridge) { N.bridge.picked(at.lng, at.lat); }
    } else if (N.mode === 'measure') {
      if (!measureFrom || rubber === null) {
        toolLayer.clearLayers();
        measureFrom = at;
        L.circleMarker(at, {radius: 4, color: '#111827', weight: 2, fillColor: '#ffffff', fillOpacity: 1,
          interactive: false}).addTo(toolLayer);
        rubber = L.polyline([at, at], {color: '#111827', weight: 2, dashArray: '6,4', interactive: false})
          .addTo(toolLayer);
      } else {
        var d = distanceM(measureFrom, at);
        rubber.setLatLngs([measureFrom, at]);
        L.circleMarker(at, {radius: 4, color: '#111827', weight: 2, fillColor: '#ffffff', fillOpacity: 1,
          interactive: false}).addTo(toolLayer).bindTooltip(esc(text.distance) + ' ' + distanceText(d),
          {permanent: true, direction: 'right', offset: [8, 0], className: 'nibi-measure-label'});
        rubber = null;
        N.lastDistance = d;
        if (N.bridge) { N.bridge.measured(d); }
      }
    } else if (N.mode === 'within') {
      toolLayer.clearLayers();
      L.circle(at, {radius: N.radius, color: '#1e6fd9', weight: 2, fillOpacity: 0.06, interactive: false})
        .addTo(toolLayer);
      N.withinAt = at;
      if (N.bridge) {
        N.bridge.requestWithin(JSON.stringify({id: ++seq, lon: at.lng, lat: at.lat, radius: N.radius,
          types: visibleTypes()}));
      }
    } else if (map.closePopup) {
      map.closePopup();
    }
  }

  function showCentre() {
    if (coordBox) {
      var c = map.getCenter();
      coordBox.textContent = 'WGS-84  ' + text.centre + ' ' + coordText(c.lat, c.lng);
    }
  }

  function onMouseMove(e) {
    if (coordBox) { coordBox.textContent = 'WGS-84  ' + coordText(e.latlng.lat, e.latlng.lng); }
    if (N.mode === 'measure' && rubber && measureFrom) {
      rubber.setLatLngs([measureFrom, e.latlng]);
      setStatus(esc(text.distance) + ' ' + distanceText(distanceM(measureFrom, e.latlng)));
    }
  }

  function onWithin(json) {
    var answer = JSON.parse(json), at = N.withinAt;
    if (!at) { return; }
    N.lastWithin = answer;
    var html = '<div class="nibi-popup"><div class="nibi-popup-name">' +
      esc(fmt(text.within_title, {n: answer.total, radius: answer.radius})) + '</div><ol class="nibi-near">';
    answer.assets.slice(0, 15).forEach(function (a) {
      html += '<li><a href="#" data-id="' + esc(a.id) + '" data-lon="' + a.lon + '" data-lat="' + a.lat + '">' +
        esc(a.name) + '</a> <span>' +
        distanceText(a.distance_m) + '</span></li>';
      L.circleMarker([a.lat, a.lon], {radius: 10, color: '#1e6fd9', weight: 2, fill: false, interactive: false})
        .addTo(toolLayer);
    });
    html += '</ol>' +
      (answer.total > 15 ? '<div>' + esc(fmt(text.within_more, {n: answer.total - 15})) + '</div>' : '') +
      '</div>';
    var popup = L.popup({maxWidth: 320}).setLatLng(at).setContent(html).openOn(map);
    var el = popup.getElement();
    if (el) {
      el.querySelectorAll('a[data-id]').forEach(function (a) {
        a.addEventListener('click', function (ev) {
          ev.preventDefault();
          var id = a.getAttribute('data-id');
          selected = {seq: null, id: id, at: L.latLng(+a.getAttribute('data-lat'), +a.getAttribute('data-lon'))};
          N.lastSelected = id;
          if (N.bridge) { N.bridge.selectAsset(id); }
          drawSelection();
        });
      });
    }
  }

  // -- the API Python uses -----------------------------------------------------------------------------------------
  N.init = function (leafletMap, config) {
    map = leafletMap;
    cfg = config;
    text = cfg.text;
    N.cfg = cfg;
    N.map = map;
    N.radius = 200;
    cfg.types.forEach(function (t) { typeByCode[t.code] = t; visible[t.code] = true; });
    map.setMinZoom(cfg.minZoom);
    map.setMaxZoom(cfg.maxZoom);
    map.attributionControl.setPrefix('Leaflet');
    L.DomUtil.addClass(map.getContainer(), 'nibi-map');
    canvas = L.canvas({padding: 0.1, tolerance: 3}); // a small margin: each canvas pixel costs renderer memory
    map.createPane('nibiGrid');
    map.getPane('nibiGrid').style.zIndex = 250;
    map.getPane('nibiGrid').style.pointerEvents = 'none';
    map.createPane('nibiLabels');
    map.getPane('nibiLabels').style.zIndex = 420;
    map.getPane('nibiLabels').style.pointerEvents = 'none';
    gridRenderer = L.svg({pane: 'nibiGrid', padding: 0.05}); // twenty lines: no canvas bitmap of the view
    gridLayer = L.layerGroup();
    gridLabels = L.layerGroup({pane: 'nibiLabels'});
    labelLayer = L.layerGroup().addTo(map);
    cellLayer = L.featureGroup().addTo(map);
    pointLayer = L.featureGroup().addTo(map);
    markLayer = L.layerGroup().addTo(map);
    toolLayer = L.layerGroup().addTo(map);
    cellLayer.on('click', onLayerClick);
    pointLayer.on('click', onLayerClick);
    cellLayer.on('mouseover', function (e) {
      var c = e.layer.nibi, parts = [];
      cfg.types.forEach(function (t) { if (c[4][t.code]) { parts.push(esc(t.name) + ' ' + c[4][t.code]); } });
      if (c[3]) { parts.push(esc(stateColourName('faulty')) + ' ' + c[3]); }
      e.layer.bindTooltip(parts.join('<br>'), {direction: 'top', offset: [0, -8]}).openTooltip();
    });
    var hoverTip = L.tooltip({direction: 'top', offset: [0, -8]});
    var hoverSeq = null;
    pointLayer.on('mousemove', function () { // the name under the mouse, asked once per asset (then cached)
      var i = pointSet ? pointSet.hitIndex() : -1;
      if (i < 0) { hoverSeq = null; map.removeLayer(hoverTip); return; }
      var s = points.seq[i];
      if (s === hoverSeq) { return; }
      hoverSeq = s;
      hoverTip.setLatLng(pointSet.latLngAt(i)).setContent('…');
      if (!map.hasLayer(hoverTip)) { hoverTip.addTo(map); }
      askDetails(s, false, function (d) { if (hoverSeq === s) { hoverTip.setContent(esc(d.name)); } });
    });
    pointLayer.on('mouseout', function () { hoverSeq = null; map.removeLayer(hoverTip); });
    L.control.scale({imperial: false, position: 'bottomleft', maxWidth: 160}).addTo(map);
    control('bottomleft', 'nibi-coords', function (div) { coordBox = div; div.textContent = 'WGS-84'; });
    control('topright', 'nibi-status', function (div) { statusBox = div; div.style.display = 'none'; });
    control('bottomright', 'nibi-legend', buildLegend);
    map.getPane('markerPane').style.zIndex = 650;
    map.on('click', onMapClick);
    map.on('mousemove', onMouseMove);
    map.on('moveend', function () {
      request(); // first: the answer is being prepared while the rest of the page catches up
      drawGraticule();
      drawLabels();
      showCentre();
    });
    map.on('mouseout', showCentre);
    if (cfg.notice) { map.attributionControl.addAttribution('<b class="nibi-notice">' + esc(cfg.notice) + '</b>'); }
    if (cfg.basemap) {
      basemapLayer = cfg.basemap.layer && window[cfg.basemap.layer] ? window[cfg.basemap.layer] : null;
      if (!basemapLayer) { N.setBasemap(cfg.basemap); }
      plainCanvas(false);
    } else {
      plainCanvas(true);
    }
    if (cfg.fit) { // the first view fills the window with the county (a quarter zoom step; later steps are whole)
      map.options.zoomSnap = 0.25;
      map.fitBounds([[cfg.fit[1], cfg.fit[0]], [cfg.fit[3], cfg.fit[2]]], {animate: false, padding: [8, 8]});
      map.options.zoomSnap = 1;
    }
    drawLabels();
    drawGraticule();
    showCentre();
    // The page's own font stack (nibi-map.css): system CJK fonts first, the bundled one (5 MB) only where none is
    // installed, fetched when text first needs it; cell counts are redrawn once it has arrived.
    fontStack = window.getComputedStyle(map.getContainer()).fontFamily || cfg.font + ', sans-serif';
    if (document.fonts && document.fonts.addEventListener) {
      document.fonts.addEventListener('loadingdone', function () {
        cellLayer.eachLayer(function (l) { l.redraw(); });
      });
    }
    if (cfg.mode === 'static') {
      loadStatic();
      return;
    }
    new QWebChannel(qt.webChannelTransport, function (channel) {
      N.bridge = channel.objects.nibi;
      N.bridge.viewportReady.connect(onViewport);
      N.bridge.assetReady.connect(onAsset);
      N.bridge.withinReady.connect(onWithin);
      N.bridge.labelsReady.connect(function (json) { N.setLabels(JSON.parse(json)); });
      map.on('movestart', function () { N._moveStart = N._moveStart || {t: performance.now()}; });
      request();
      N.bridge.pageReady();
    });
  };

  N.setLabels = function (labels) { cfg.labels = labels; drawLabels(); };

  N.refresh = function () { detailCache.clear(); request(); };

  N.setTypeVisible = function (code, on) {
    visible[code] = !!on;
    if (legendBox) {
      var box = legendBox.querySelector('input[data-type="' + code + '"]');
      if (box) { box.checked = !!on; }
    }
    if (cfg.mode === 'static') { fillStatic(); } else { request(); }
  };

  N.setMode = function (mode, options) {
    N.mode = mode || 'browse';
    if (options && options.radius) { N.radius = options.radius; }
    measureFrom = null;
    rubber = null;
    if (N.mode === 'browse') { toolLayer.clearLayers(); map.closePopup(); }
    L.DomUtil[N.mode === 'browse' ? 'removeClass' : 'addClass'](map.getContainer(), 'nibi-tool');
    setStatus(modeHint() || (last ? (last.kind === 'cells' ? fmt(text.cells_in_view, {n: last.total}) :
      fmt(text.assets_in_view, {n: last.total})) : ''));
  };

  // Mark an asset selected elsewhere (the table). The view moves only when the asset is not comfortably in view
  // or too small to pick out; then it is centred at zoom 16 or closer.
  N.centerOn = function (id, lon, lat, zoom) {
    selected = {seq: null, id: id, at: L.latLng(lat, lon)};
    var inner = map.getBounds().pad(-0.1), wanted = zoom || 16;
    if (!inner.contains(selected.at) || map.getZoom() < wanted) {
      map.setView(selected.at, Math.max(map.getZoom(), wanted), {animate: false});
    }
    drawSelection();
  };

  N.showPoint = function (lon, lat, label) {
    toolLayer.clearLayers();
    var at = L.latLng(lat, lon);
    L.circleMarker(at, {radius: 7, color: '#ffffff', weight: 2, fillColor: '#ea580c', fillOpacity: 1,
      interactive: false}).addTo(toolLayer).bindTooltip(esc(label || '') + '<br>' + coordText(lat, lon),
      {permanent: true, direction: 'right', offset: [8, 0]});
    // reset: a short move would otherwise be a pan by whole pixels, leaving the typed position off-centre
    map.setView(at, Math.max(map.getZoom(), 16), {reset: true});
  };

  N.setBasemap = function (spec) {
    if (basemapLayer) { map.removeLayer(basemapLayer); basemapLayer = null; }
    cfg.basemap = spec;
    if (spec) {
      basemapLayer = L.tileLayer(spec.url, {minZoom: cfg.minZoom, maxZoom: cfg.maxZoom, maxNativeZoom: spec.maxzoom,
        minNativeZoom: spec.minzoom, attribution: esc(spec.attribution || spec.name || ''),
        errorTileUrl: 'data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw=='});
      basemapLayer.addTo(map);
      basemapLayer.bringToBack();
    }
    plainCanvas(!spec);
  };

  N.markerCount = function () {
    return cfg.mode === 'static' ? (cluster ? cluster.getLayers().length : 0) : (points ? points.n : 0);
  };

  // The assets drawn as single symbols: their seqs (in the app) or ids (an exported page).
  N.markerIds = function () {
    return cfg.mode === 'static' ? Object.keys(staticMarkers) : (points ? Array.from(points.seq) : []);
  };

  // Click a drawn asset (tests): by seq in the app, by id in an exported page.
  N.clickMarker = function (key) {
    if (cfg.mode === 'static') {
      var m = staticMarkers[key];
      if (!m) { return false; }
      m.fire('click', {latlng: m.getLatLng(), layer: m, sourceTarget: m}, true);
      return true;
    }
    var i = points ? points.index.get(key) : undefined;
    if (i === undefined) { return false; }
    pointSet._hit = i;
    pointSet.fire('click', {latlng: pointSet.latLngAt(i), layer: pointSet, sourceTarget: pointSet}, true);
    return true;
  };

  // How a drawn asset is shown: its state ('faulty', 'defect', 'overdue', 'in_service', 'pending',
  // 'decommissioned') and symbol style; null when it is not drawn as a single symbol.
  N.symbolOf = function (seq) {
    var i = points ? points.index.get(seq) : undefined;
    return i === undefined ? null : {state: points.state[i], style: points.style[i]};
  };

  // The selected asset's id (after a click on the map: once its details have arrived).
  N.selected = function () { return selected.id; };

  // True once the answer to the latest viewport request has been drawn (tests and the bench wait for it).
  N.idle = function () { return cfg.mode === 'static' ? N.ready : N.lastDrawn === seq && seq > 0; };

  N.lastAnswer = function () { return last; };

  // Bench helper: move the view and time the round trip until the answer is drawn (NibiMap.stats.rounds).
  N.benchMove = function (lat, lon, zoom) {
    N._moveStart = {t: performance.now()};
    map.setView([lat, lon], zoom, {animate: false});
  };
}());
