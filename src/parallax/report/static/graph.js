/* Parallax actor network: a small hand-written SVG force layout (no library, no network).
   Reads the graph JSON from <script type="application/json" id="px-graph"> and draws it into
   #px-graph-view.  Drag a node to move it; click a node to show only its relations; hover an
   edge for the outlets asserting it and the evidence.  Green: supportive, red: hostile,
   grey: neutral; dashed: hedged; thin: one outlet only. */
(function () {
  "use strict";
  var data_el = document.getElementById("px-graph");
  var view = document.getElementById("px-graph-view");
  if (!data_el || !view) { return; }
  var data = JSON.parse(data_el.textContent || "{}");
  var nodes = (data.nodes || []).filter(function (n) { return n.degree > 0; });
  var edges = data.edges || [];
  if (!nodes.length) { return; }
  var NS = "http://www.w3.org/2000/svg";
  var W = Math.max(view.clientWidth || 800, 400), H = Math.min(640, 220 + nodes.length * 22);
  var byId = {};
  nodes.forEach(function (n, i) {
    var a = 2 * Math.PI * i / nodes.length;
    n.x = W / 2 + (W / 3) * Math.cos(a); n.y = H / 2 + (H / 3) * Math.sin(a); n.vx = 0; n.vy = 0;
    byId[n.id] = n;
  });
  edges = edges.filter(function (e) { return byId[e.source] && byId[e.target]; });
  function el(name, attrs, parent) {
    var x = document.createElementNS(NS, name);
    for (var k in attrs) { x.setAttribute(k, attrs[k]); }
    if (parent) { parent.appendChild(x); }
    return x;
  }
  var svg = el("svg", {width: W, height: H, viewBox: "0 0 " + W + " " + H, role: "img",
                       "aria-label": "actor network"}, view);
  var defs = el("defs", {}, svg);
  [["pos", "#2e9d48"], ["neg", "#c0392b"], ["neu", "#888"]].forEach(function (m) {
    var mk = el("marker", {id: "px-arrow-" + m[0], viewBox: "0 0 10 10", refX: 18, refY: 5,
                           markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse"}, defs);
    el("path", {d: "M0,0 L10,5 L0,10 z", fill: m[1]}, mk);
  });
  var info = document.getElementById("px-graph-info");
  var gEdges = el("g", {}, svg), gNodes = el("g", {}, svg);
  var TYPE_COLOUR = {person: "#2457a6", organisation: "#7b4fa0", "armed group": "#8a3b12", country: "#1b7f79",
                     place: "#1b7f79", group: "#b07a00", media: "#555"};
  edges.forEach(function (e) {
    var kind = e.negated ? "neu" : (e.polarity > 0 ? "pos" : (e.polarity < 0 ? "neg" : "neu"));
    var colour = {pos: "#2e9d48", neg: "#c0392b", neu: "#888"}[kind];
    e.line = el("line", {stroke: colour, "stroke-width": e.single_outlet ? 1.2 : 2.6,
                         "stroke-dasharray": (e.hedged || e.negated) ? "5,4" : "none",
                         "marker-end": e.symmetric ? "" : "url(#px-arrow-" + kind + ")"}, gEdges);
    var t = el("title", {}, e.line);
    t.textContent = e.source + " " + (e.negated ? "not " : "") + e.predicate + " " + e.target +
      (e.hedged ? " (hedged)" : "") + " - " + e.outlets.join(", ");
    e.line.addEventListener("mouseenter", function () { show(e); });
  });
  nodes.forEach(function (n) {
    n.g = el("g", {cursor: "grab"}, gNodes);
    el("circle", {r: 6 + Math.min(10, Math.sqrt(n.mentions || 1) * 1.6), fill: TYPE_COLOUR[n.type] || "#444",
                  stroke: "#fff", "stroke-width": 1.5}, n.g);
    var label = el("text", {x: 12, y: 4, "font-size": 12, fill: "#1d1d1f"}, n.g);
    label.textContent = n.id;
    var t = el("title", {}, n.g);
    t.textContent = n.id + (n.type ? " (" + n.type + (n.role ? ", " + n.role : "") + ")" : "");
  });
  function show(e) {
    if (!info) { return; }
    info.textContent = "";
    var head = document.createElement("b");
    head.textContent = e.source + " " + (e.negated ? "not " : "") + e.predicate.replace("_", " ") + " " + e.target;
    info.appendChild(head);
    var who = document.createElement("span");
    who.textContent = " - asserted by " + e.outlets.join(", ") + (e.single_outlet ? " only" : "") +
      (e.hedged ? " (hedged)" : "");
    info.appendChild(who);
    (e.evidence || []).slice(0, 4).forEach(function (ev) {
      var p = document.createElement("div");
      p.textContent = "[" + ev.outlet + (ev.date ? ", " + ev.date : "") + "] " + ev.text;
      info.appendChild(p);
    });
  }
  var focus = null;
  function applyFocus() {
    edges.forEach(function (e) {
      var on = !focus || e.source === focus || e.target === focus;
      e.line.setAttribute("opacity", on ? 1 : 0.08);
    });
    nodes.forEach(function (n) {
      var on = !focus || n.id === focus || edges.some(function (e) {
        return (e.source === focus && e.target === n.id) || (e.target === focus && e.source === n.id);
      });
      n.g.setAttribute("opacity", on ? 1 : 0.2);
    });
  }
  var drag = null, moved = false;
  nodes.forEach(function (n) {
    n.g.addEventListener("mousedown", function (ev) { drag = n; moved = false; ev.preventDefault(); });
    n.g.addEventListener("click", function () {
      if (moved) { return; }
      focus = focus === n.id ? null : n.id; applyFocus();
    });
  });
  svg.addEventListener("mousemove", function (ev) {
    if (!drag) { return; }
    var r = svg.getBoundingClientRect();
    drag.x = (ev.clientX - r.left) * W / r.width; drag.y = (ev.clientY - r.top) * H / r.height;
    drag.vx = drag.vy = 0; moved = true; alpha = Math.max(alpha, 0.3); draw();
  });
  window.addEventListener("mouseup", function () { drag = null; });
  var alpha = 1;
  function tick() {
    var k = Math.sqrt(W * H / nodes.length) * 0.55;
    nodes.forEach(function (a) {
      nodes.forEach(function (b) {
        if (a === b) { return; }
        var dx = a.x - b.x, dy = a.y - b.y, d2 = dx * dx + dy * dy + 0.01, d = Math.sqrt(d2);
        var f = k * k / d2 * 0.6;
        a.vx += dx / d * f; a.vy += dy / d * f;
      });
    });
    edges.forEach(function (e) {
      var a = byId[e.source], b = byId[e.target];
      var dx = b.x - a.x, dy = b.y - a.y, d = Math.sqrt(dx * dx + dy * dy) + 0.01;
      var f = (d - k) / d * 0.05;
      a.vx += dx * f; a.vy += dy * f; b.vx -= dx * f; b.vy -= dy * f;
    });
    nodes.forEach(function (n) {
      if (n === drag) { return; }
      n.vx += (W / 2 - n.x) * 0.004; n.vy += (H / 2 - n.y) * 0.004;
      n.x += Math.max(-20, Math.min(20, n.vx * alpha)); n.y += Math.max(-20, Math.min(20, n.vy * alpha));
      n.vx *= 0.5; n.vy *= 0.5;
      n.x = Math.max(14, Math.min(W - 90, n.x)); n.y = Math.max(14, Math.min(H - 14, n.y));
    });
  }
  function draw() {
    edges.forEach(function (e) {
      var a = byId[e.source], b = byId[e.target];
      e.line.setAttribute("x1", a.x); e.line.setAttribute("y1", a.y);
      e.line.setAttribute("x2", b.x); e.line.setAttribute("y2", b.y);
    });
    nodes.forEach(function (n) { n.g.setAttribute("transform", "translate(" + n.x + "," + n.y + ")"); });
  }
  for (var i = 0; i < 300; i++) { tick(); alpha = Math.max(0.02, alpha * 0.985); }
  draw();
  function loop() {
    if (alpha > 0.03) { tick(); alpha *= 0.97; draw(); }
    window.requestAnimationFrame(loop);
  }
  window.requestAnimationFrame(loop);
}());
