// Loaded (small, not deferred) before any chart output on pages with charts. plotly.js itself is deferred so it does
// not hold up the first paint; until it has run, window.Plotly is this stand-in, which queues the calls that charts
// emitted as HTML make while the page is parsed (Plotly.NET's plain and RequireJS forms, the book's own HTML form).
// book.js, deferred after plotly.js, replays them with the real Plotly. Plotly.NET's RequireJS form would also fetch
// RequireJS and Plotly from CDNs; its require() calls are answered here, and nothing is fetched from another host.
(function () {
  "use strict";

  if (typeof window.Plotly === "undefined") {
    var queue = [];
    var later = function (method) {
      return function () {
        var args = Array.prototype.slice.call(arguments);
        return new Promise(function (resolve, reject) {
          queue.push({ method: method, args: args, resolve: resolve, reject: reject });
        });
      };
    };
    window.Plotly = {
      bookQueue: queue,
      newPlot: later("newPlot"),
      react: later("react"),
      plot: later("plot"),
      relayout: later("relayout"),
      restyle: later("restyle")
    };
    // plotly.js replaces window.Plotly when it runs; book.js finds the queue here.
    window.bookPlotlyStandIn = window.Plotly;
  }

  if (typeof window.requirejs === "function") {
    return;
  }

  // Looks Plotly up at call time: the stand-in while the page is parsed, the real one after.
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
