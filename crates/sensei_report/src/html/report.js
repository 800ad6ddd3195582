(function () {
  "use strict";
  var names = ["status", "service", "rule", "severity"];
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.finding"));
  var form = document.getElementById("filters");
  var shown = document.getElementById("shown");
  var empty = document.getElementById("no-match");
  var text = document.getElementById("filter-text");

  function select(name) {
    return document.getElementById("filter-" + name);
  }

  function hasOption(el, value) {
    return Array.prototype.some.call(el.options, function (o) { return o.value === value; });
  }

  function readHash() {
    var params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    names.forEach(function (name) {
      var el = select(name);
      var value = params.get(name);
      el.value = value !== null && hasOption(el, value) ? value : "";
    });
    text.value = params.get("q") || "";
  }

  function writeHash() {
    var params = new URLSearchParams();
    names.forEach(function (name) {
      if (select(name).value) { params.set(name, select(name).value); }
    });
    if (text.value.trim()) { params.set("q", text.value.trim()); }
    var hash = params.toString();
    var url = window.location.pathname + window.location.search + (hash ? "#" + hash : "");
    try {
      window.history.replaceState(null, "", url);
    } catch (e) {
      // Some browsers refuse history changes on file:// pages; the filter still applies.
    }
  }

  function apply() {
    var wanted = {};
    names.forEach(function (name) { wanted[name] = select(name).value; });
    var query = text.value.trim().toLowerCase();
    var count = 0;
    rows.forEach(function (row) {
      var match = names.every(function (name) {
        return !wanted[name] || row.getAttribute("data-" + name) === wanted[name];
      }) && (!query || row.textContent.toLowerCase().indexOf(query) !== -1);
      row.hidden = !match;
      if (match) { count += 1; }
    });
    shown.textContent = count + " of " + rows.length;
    empty.hidden = count !== 0;
  }

  function copy(button) {
    var target = document.getElementById(button.getAttribute("data-copy"));
    if (!target) { return; }
    var code = target.textContent;
    var done = function () {
      button.textContent = "Copied";
      button.classList.add("copied");
      window.setTimeout(function () {
        button.textContent = "Copy";
        button.classList.remove("copied");
      }, 1500);
    };
    var fallback = function () {
      var area = document.createElement("textarea");
      area.value = code;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      try { document.execCommand("copy"); done(); } catch (e) { /* nothing more to try */ }
      document.body.removeChild(area);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(code).then(done, fallback);
    } else {
      fallback();
    }
  }

  names.forEach(function (name) {
    select(name).addEventListener("change", function () { apply(); writeHash(); });
  });
  text.addEventListener("input", function () { apply(); writeHash(); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () {
    window.setTimeout(function () { apply(); writeHash(); }, 0);
  });
  window.addEventListener("hashchange", function () { readHash(); apply(); });
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.copy") : null;
    if (button) { copy(button); }
  });

  readHash();
  apply();
  document.documentElement.setAttribute("data-ready", "true");
})();
