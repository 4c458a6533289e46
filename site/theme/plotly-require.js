// Plotly.NET can emit charts that load Plotly through RequireJS, fetching RequireJS itself from a CDN when it is
// absent. The book serves Plotly from its own folder (loaded just before this file), so answer those require()
// calls with the global Plotly and nothing is fetched from another host.
(function () {
  "use strict";
  if (typeof window.requirejs === "function") {
    return;
  }

  function requireLocal(names, callback) {
    var modules = names.map(function (name) {
      return name === "plotly" ? window.Plotly : undefined;
    });
    if (typeof callback === "function") {
      callback.apply(null, modules);
    }
  }

  requireLocal.config = function () {
    return requireLocal;
  };
  window.requirejs = requireLocal;
  if (typeof window.require !== "function") {
    window.require = requireLocal;
  }
})();
