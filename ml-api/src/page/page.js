// The try-it form: posts the record as JSON to the explain endpoint (or
// predict, where explain is missing or the model cannot be explained), shows the price, a waterfall chart of
// the explanation and the API's field errors next to their fields. Every
// URL is relative to the page (or to the ingress prefix the server saw).
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var BARS = 12;
  var app = document.getElementById("app");
  var form = document.getElementById("try-form");
  if (!app || !form) return;
  var base = app.getAttribute("data-base") || "";
  var explainPath = app.getAttribute("data-explain");
  var statusBox = document.getElementById("status");
  var result = document.getElementById("result");
  var priceOut = document.getElementById("price");
  var waterfall = document.getElementById("waterfall");
  var sent = document.getElementById("sent");

  function record() {
    var r = {};
    var inputs = form.querySelectorAll("input[name]");
    for (var i = 0; i < inputs.length; i++) {
      var el = inputs[i];
      var v = el.value.trim();
      if (v === "") {
        r[el.name] = null;
      } else if (el.getAttribute("data-kind") === "number" && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v)) {
        r[el.name] = Number(v);
      } else {
        // Text in a number field goes as it is: the API names the field.
        r[el.name] = v;
      }
    }
    return r;
  }

  function say(text, bad) {
    statusBox.textContent = text;
    statusBox.className = bad ? "bad" : "";
  }

  function clearErrors() {
    var errs = form.querySelectorAll(".err");
    for (var i = 0; i < errs.length; i++) errs[i].textContent = "";
    var bad = form.querySelectorAll("[aria-invalid]");
    for (var j = 0; j < bad.length; j++) bad[j].removeAttribute("aria-invalid");
  }

  // Puts each error next to its field; returns those that have no field.
  function fieldErrors(errors) {
    var rest = [];
    var first = null;
    for (var i = 0; i < errors.length; i++) {
      var e = errors[i];
      var slot = document.getElementById("e-" + e.field);
      var input = document.getElementById("f-" + e.field);
      if (!slot || !input) {
        rest.push((e.field ? e.field + ": " : "") + e.message);
        continue;
      }
      slot.textContent = slot.textContent ? slot.textContent + "; " + e.message : e.message;
      input.setAttribute("aria-invalid", "true");
      var details = input.closest("details");
      if (details) details.open = true;
      if (!first) first = input;
    }
    if (first) first.focus();
    return rest;
  }

  function post(path, body) {
    return fetch(base + path, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: body
    });
  }

  function dollars(x) {
    return "$" + Math.round(x).toLocaleString("en-US");
  }

  function el(name, attrs, text) {
    var node = document.createElementNS(SVG, name);
    for (var k in attrs) node.setAttribute(k, attrs[k]);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Rows: the base value, the largest contributions, the rest summed, the
  // price; each contribution a bar from the running total (log price).
  function drawWaterfall(x) {
    var cs = x.contributions || [];
    var rows = [{ label: "Base value", value: x.base_value, kind: "tot", text: dollars(x.base_price) }];
    var run = x.base_value;
    var shown = cs.slice(0, BARS);
    var rest = cs.slice(BARS).reduce(function (s, c) { return s + c.value; }, 0);
    shown.forEach(function (c) {
      rows.push({ label: c.column, from: run, value: c.value, text: effect(c.value, c.factor) });
      run += c.value;
    });
    if (cs.length > BARS) {
      rows.push({ label: "Other " + (cs.length - BARS) + " inputs", from: run, value: rest, text: effect(rest, Math.exp(rest)) });
      run += rest;
    }
    rows.push({ label: "Price", value: run, kind: "tot", text: dollars(x.price) });
    var lo = Infinity, hi = -Infinity;
    rows.forEach(function (r) {
      var a = r.kind ? r.value : r.from, b = r.kind ? r.value : r.from + r.value;
      lo = Math.min(lo, a, b);
      hi = Math.max(hi, a, b);
    });
    var pad = (hi - lo) * 0.08 || 0.01;
    lo -= pad;
    hi += pad;
    var W = 640, L = 170, R = 90, H = 22;
    var scale = function (v) { return L + (v - lo) / (hi - lo) * (W - L - R); };
    var svg = el("svg", { role: "img", "aria-labelledby": "wf-t", viewBox: "0 0 " + W + " " + (rows.length * H + 6), width: W, height: rows.length * H + 6, "class": "chart" });
    svg.appendChild(el("title", { id: "wf-t" }, "How each input moves the price from the base value: " + dollars(x.base_price) + " to " + dollars(x.price)));
    rows.forEach(function (r, i) {
      var y = i * H + 3;
      // The base and the price are points on the log scale: a marker each.
      var a = r.kind ? scale(r.value) - 2 : scale(Math.min(r.from, r.from + r.value));
      var b = r.kind ? scale(r.value) + 2 : scale(Math.max(r.from, r.from + r.value));
      var cls = r.kind || (r.value < 0 ? "neg" : "pos");
      svg.appendChild(el("text", { "class": "lbl", x: L - 6, y: y + H * 0.68, "text-anchor": "end" }, r.label));
      svg.appendChild(el("rect", { "class": cls, x: a.toFixed(1), y: y + 2, width: Math.max(b - a, 1).toFixed(1), height: H - 6 }));
      svg.appendChild(el("text", { "class": "val", x: (b + 4).toFixed(1), y: y + H * 0.68 }, r.text));
    });
    var note = document.createElement("p");
    note.className = "note";
    note.textContent = "Each bar multiplies the price by its factor (a log scale, so equal factors are equal lengths); the rows run from the base value to the price.";
    waterfall.textContent = "";
    waterfall.appendChild(svg);
    waterfall.appendChild(note);
  }

  function effect(value, factor) {
    if (typeof factor === "number") return "\u00d7" + factor.toFixed(3);
    return (value >= 0 ? "+" : "") + value.toFixed(0);
  }

  function showPrice(price) {
    priceOut.textContent = dollars(price);
    priceOut.setAttribute("data-price", String(price));
    result.hidden = false;
  }

  function answer(res, explained) {
    return res.json().then(function (body) {
      if (!res.ok) {
        var error = body.error || {};
        var rest = fieldErrors(error.details || []);
        say((error.message || "The request failed (" + res.status + ")") + (rest.length ? ": " + rest.join("; ") : ""), true);
        result.hidden = true;
        return;
      }
      var rest = fieldErrors(body.errors || []);
      if (explained) {
        var x = body.explanations[0];
        showPrice(x.price);
        drawWaterfall(x);
      } else {
        showPrice(body.predictions[0].price);
        waterfall.textContent = "This server gives no explanations; the price comes from the predict endpoint.";
      }
      say("Model " + body.version + " priced the house." + (rest.length ? " " + rest.join("; ") : ""), false);
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearErrors();
    var body = JSON.stringify([record()]);
    sent.textContent = body;
    say("Asking the model\u2026", false);
    var predict = function () {
      return post("v1/predict/regression", body).then(function (res) { return answer(res, false); });
    };
    var asked = explainPath
      // 404: no explain route on the way (an older server, a proxy);
      // 501: a model that cannot be explained (trees). Predict instead.
      ? post(explainPath, body).then(function (res) { return res.status === 404 || res.status === 501 ? predict() : answer(res, true); })
      : predict();
    asked.catch(function (e) { say("No answer from the service: " + e.message, true); });
  });
})();
