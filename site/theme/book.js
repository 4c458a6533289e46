// Behaviour shared by every page of the rendered book: theme toggle, chapter drawer, math, code highlighting,
// copy buttons, heading anchors, "On this page" tracking and search. Plain ES5-style script so it also runs
// from file:// (no modules, no fetch).
(function () {
  "use strict";

  var root = document.body.getAttribute("data-root") || "";
  var themeKey = "book-theme";

  // ---- Theme. The inline script in <head> already chose light or dark before the first paint.
  function storedTheme() {
    try {
      return localStorage.getItem(themeKey);
    } catch (e) {
      return null;
    }
  }

  function applyTheme(theme) {
    document.documentElement.setAttribute("data-theme", theme);
    restyleCharts();
  }

  var themeToggle = document.querySelector(".theme-toggle");
  if (themeToggle) {
    themeToggle.addEventListener("click", function () {
      var next = document.documentElement.getAttribute("data-theme") === "dark" ? "light" : "dark";
      applyTheme(next);
      try {
        localStorage.setItem(themeKey, next);
      } catch (e) {
        // Storage can be off (private windows); the toggle still works for this page.
      }
    });
  }

  // Follow the system setting until the reader picks a theme with the button.
  if (window.matchMedia) {
    var query = window.matchMedia("(prefers-color-scheme: dark)");
    var follow = function (event) {
      if (storedTheme() !== "dark" && storedTheme() !== "light") {
        applyTheme(event.matches ? "dark" : "light");
      }
    };
    if (query.addEventListener) {
      query.addEventListener("change", follow);
    }
  }

  // ---- Chapter drawer on narrow screens.
  var menuToggle = document.querySelector(".menu-toggle");
  function setDrawer(open) {
    document.body.classList.toggle("sidebar-open", open);
    if (menuToggle) {
      menuToggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
  }
  if (menuToggle) {
    menuToggle.addEventListener("click", function () {
      setDrawer(!document.body.classList.contains("sidebar-open"));
    });
  }
  var current = document.querySelector('.sidebar a[aria-current="page"]');
  if (current && current.scrollIntoView) {
    current.scrollIntoView({ block: "nearest" });
  }

  // ---- Math. Markdig leaves TeX in .math elements, delimited by \( \) inline and \[ \] for display math.
  if (window.katex) {
    Array.prototype.forEach.call(document.querySelectorAll(".math"), function (element) {
      var tex = element.textContent.trim();
      // $$…$$ inside a paragraph is display math in Jupyter too; the renderer marks it math-display.
      var display = element.tagName === "DIV" || element.classList.contains("math-display");
      if (/^\\[([]/.test(tex) && /\\[)\]]$/.test(tex)) {
        tex = tex.slice(2, -2);
      }
      window.katex.render(tex, element, { displayMode: display, throwOnError: false });
    });
  }

  // ---- Charts. plotly.js is deferred and this script runs after it: draw the figures the renderer left as JSON, and
  // replay the calls that HTML charts queued with the stand-in (plotly-require.js). Every chart takes the page's
  // colours: transparent backgrounds, and text, grid and axis lines from the theme, so dark mode is readable.
  function cssColor(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }

  function themeUpdate(layout) {
    var text = cssColor("--text");
    var update = {
      paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)",
      "font.color": text,
      "title.font.color": text,
      "legend.font.color": text,
      "legend.bgcolor": "rgba(0,0,0,0)",
      "hoverlabel.font.color": text,
      "hoverlabel.bgcolor": cssColor("--surface"),
      "hoverlabel.bordercolor": cssColor("--border")
    };
    var axes = Object.keys(layout || {}).filter(function (key) {
      return /^[xy]axis\d*$/.test(key);
    });
    ["xaxis", "yaxis"].forEach(function (key) {
      if (axes.indexOf(key) < 0) {
        axes.push(key);
      }
    });
    axes.forEach(function (axis) {
      update[axis + ".gridcolor"] = cssColor("--border");
      update[axis + ".linecolor"] = cssColor("--output-rule");
      update[axis + ".zerolinecolor"] = cssColor("--output-rule");
      update[axis + ".tickcolor"] = cssColor("--output-rule");
      update[axis + ".tickfont.color"] = text;
      update[axis + ".title.font.color"] = text;
    });
    return update;
  }

  // Sets "a.b.c" paths on an object, for the first drawing (later changes go through Plotly.relayout).
  function setPaths(target, update) {
    Object.keys(update).forEach(function (path) {
      var keys = path.split(".");
      var node = target;
      for (var i = 0; i < keys.length - 1; i++) {
        if (typeof node[keys[i]] !== "object" || node[keys[i]] === null) {
          node[keys[i]] = typeof node[keys[i]] === "string" ? { text: node[keys[i]] } : {};
        }
        node = node[keys[i]];
      }
      node[keys[keys.length - 1]] = update[path];
    });
    return target;
  }

  // Black series (the palette's last colour) would vanish on a dark page; they follow the text colour instead.
  function isBlack(color) {
    return typeof color === "string" && /^(#000(000)?|black|rgb\(0, ?0, ?0\))$/i.test(color.trim());
  }

  function blackTraces(data) {
    var found = [];
    (data || []).forEach(function (trace, index) {
      if (isBlack(trace.line && trace.line.color) || isBlack(trace.marker && trace.marker.color)) {
        found.push(index);
      }
    });
    return found;
  }

  // A text alternative for charts drawn from HTML, whose figure the renderer did not read.
  function describe(plot) {
    var layout = plot.layout || {};
    var titleOf = function (title) {
      return title && (typeof title === "string" ? title : title.text) || "";
    };
    var parts = ["Chart" + (titleOf(layout.title) ? ": " + titleOf(layout.title) : "")];
    if (titleOf(layout.xaxis && layout.xaxis.title)) {
      parts.push("x axis: " + titleOf(layout.xaxis.title));
    }
    if (titleOf(layout.yaxis && layout.yaxis.title)) {
      parts.push("y axis: " + titleOf(layout.yaxis.title));
    }
    return parts.join(". ").replace(/<[^>]+>/g, " ") + ".";
  }

  function finishChart(plot) {
    if (!plot.bookBlack) {
      plot.bookBlack = blackTraces(plot.data);
    }
    if (!plot.closest("figure") && !plot.getAttribute("aria-label")) {
      plot.setAttribute("role", "img");
      plot.setAttribute("aria-label", describe(plot));
    }
  }

  function restyleCharts() {
    if (!window.Plotly || window.Plotly === window.bookPlotlyStandIn) {
      return;
    }
    Array.prototype.forEach.call(document.querySelectorAll(".js-plotly-plot"), function (plot) {
      window.Plotly.relayout(plot, themeUpdate(plot.layout));
      if (plot.bookBlack && plot.bookBlack.length) {
        var text = cssColor("--text");
        window.Plotly.restyle(plot, { "line.color": text, "marker.color": text }, plot.bookBlack);
      }
    });
  }

  var plotly = window.Plotly;
  if (plotly && plotly !== window.bookPlotlyStandIn && typeof plotly.newPlot === "function") {
    Array.prototype.forEach.call(document.querySelectorAll("script.book-plot-figure"), function (script) {
      var plot = document.getElementById(script.getAttribute("data-plot"));
      var figure;
      try {
        figure = JSON.parse(script.textContent);
      } catch (e) {
        return;
      }
      var data = figure.data || [];
      // The width follows the page's column.
      var layout = setPaths(Object.assign({}, figure.layout || {}), themeUpdate(figure.layout));
      delete layout.width;
      layout.autosize = true;
      var black = blackTraces(data);
      black.forEach(function (index) {
        var text = cssColor("--text");
        setPaths(data[index], { "line.color": text, "marker.color": text });
      });
      var config = Object.assign({ responsive: true, displaylogo: false }, figure.config || {});
      plotly.newPlot(plot, data, layout, config).then(function () {
        plot.bookBlack = black;
        finishChart(plot);
      });
    });
  }

  // Calls queued before plotly.js ran (the stand-in keeps them in order); each chart then takes the page's colours.
  var standIn = window.bookPlotlyStandIn;
  if (standIn && plotly && plotly !== standIn) {
    standIn.bookQueue.splice(0).forEach(function (call) {
      var result = plotly[call.method].apply(plotly, call.args);
      Promise.resolve(result).then(function (plot) {
        var element = typeof call.args[0] === "string" ? document.getElementById(call.args[0]) : call.args[0];
        if (element && element.classList && element.classList.contains("js-plotly-plot")) {
          finishChart(element);
          window.Plotly.relayout(element, themeUpdate(element.layout));
        }
        call.resolve(plot);
      }, call.reject);
    });
  }

  // ---- Code highlighting, only for languages the bundled highlight.js knows (others stay plain, silently).
  if (window.hljs) {
    Array.prototype.forEach.call(document.querySelectorAll("pre code[class*='language-']"), function (code) {
      var match = /(?:^|\s)language-(\S+)/.exec(code.className);
      if (match && window.hljs.getLanguage(match[1])) {
        window.hljs.highlightElement(code);
      }
    });
  }

  // ---- Copy buttons on code cells.
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var copied = document.execCommand("copy");
      document.body.removeChild(area);
      if (copied) {
        resolve();
      } else {
        reject(new Error("copy refused"));
      }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll(".copy-button"), function (button) {
    button.addEventListener("click", function () {
      var code = button.parentNode.querySelector("code");
      var say = function (label) {
        button.textContent = label;
        button.classList.toggle("copied", label === "Copied");
        window.setTimeout(function () {
          button.textContent = "Copy";
          button.classList.remove("copied");
        }, 1600);
      };
      copyText(code.textContent).then(function () {
        say("Copied");
      }, function () {
        say("Press Ctrl+C");
      });
    });
  });

  // ---- Heading anchors: a "#" link beside each section heading, for sharing a precise place.
  Array.prototype.forEach.call(document.querySelectorAll(".chapter h2[id], .chapter h3[id]"), function (heading) {
    var link = document.createElement("a");
    link.className = "heading-anchor";
    link.href = "#" + heading.id;
    link.setAttribute("aria-label", "Link to this section");
    link.textContent = "#";
    heading.appendChild(link);
  });

  // ---- "On this page": highlight the section being read.
  var tocLinks = document.querySelectorAll(".page-toc a");
  if (tocLinks.length && "IntersectionObserver" in window) {
    var byId = {};
    Array.prototype.forEach.call(tocLinks, function (link) {
      byId[decodeURIComponent(link.getAttribute("href").slice(1))] = link;
    });
    var visible = {};
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        visible[entry.target.id] = entry.isIntersecting;
      });
      var active = null;
      Array.prototype.forEach.call(tocLinks, function (link) {
        var id = decodeURIComponent(link.getAttribute("href").slice(1));
        if (!active && visible[id]) {
          active = link;
        }
      });
      if (active) {
        Array.prototype.forEach.call(tocLinks, function (link) {
          link.classList.toggle("active", link === active);
        });
      }
    }, { rootMargin: "0px 0px -60% 0px" });
    Object.keys(byId).forEach(function (id) {
      var heading = document.getElementById(id);
      if (heading) {
        observer.observe(heading);
      }
    });
  }

  // ---- Download the notebook. Over http the link's download attribute saves the file. From file:// Chromium ignores
  // that attribute and shows raw JSON, and a page may not read files; it may load scripts, so the renderer writes the
  // notebook's text beside it as X.ipynb.js, and the page saves that text through a blob: URL, where download works.
  var downloadLink = document.querySelector(".download-link");
  if (downloadLink && window.location.protocol === "file:" && window.Blob && window.URL && URL.createObjectURL) {
    window.bookReceiveNotebook = function (name, text) {
      var url = URL.createObjectURL(new Blob([text], { type: "application/x-ipynb+json" }));
      var save = document.createElement("a");
      save.href = url;
      save.download = name;
      save.style.display = "none";
      document.body.appendChild(save);
      save.click();
      document.body.removeChild(save);
      window.setTimeout(function () {
        URL.revokeObjectURL(url);
      }, 10000);
    };
    downloadLink.addEventListener("click", function (event) {
      event.preventDefault();
      var script = document.createElement("script");
      script.src = downloadLink.getAttribute("href") + ".js";
      script.onload = script.onerror = function () {
        script.parentNode.removeChild(script);
      };
      document.head.appendChild(script);
    });
  }

  // ---- Search. The index (assets/search-index.js) is loaded on first use and sets window.bookSearchIndex.
  var input = document.getElementById("search-input");
  var results = document.getElementById("search-results");
  if (!input || !results) {
    return;
  }

  var entries = null;
  var waiting = [];
  function withIndex(callback) {
    if (entries) {
      callback(entries);
      return;
    }
    waiting.push(callback);
    if (waiting.length > 1) {
      return;
    }
    var script = document.createElement("script");
    script.src = root + "assets/search-index.js";
    script.onload = function () {
      entries = (window.bookSearchIndex && window.bookSearchIndex.entries || []).map(function (entry) {
        return {
          entry: entry,
          title: entry.title.toLowerCase(),
          chapter: entry.chapter.toLowerCase(),
          text: entry.text.toLowerCase()
        };
      });
      waiting.splice(0).forEach(function (pending) {
        pending(entries);
      });
    };
    document.head.appendChild(script);
  }

  // Terms match whole words: "rope" finds "RoPE" but not "property". A term's edge that is not a letter or digit
  // ("c#", "-k") needs no boundary there.
  var wordCharacter = /[0-9A-Za-z_\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF]/;
  function isWordCharacter(character) {
    return character !== "" && wordCharacter.test(character);
  }

  function wordAt(text, term, from) {
    for (var at = text.indexOf(term, from || 0); at >= 0; at = text.indexOf(term, at + 1)) {
      var startsClean = !isWordCharacter(term.charAt(0)) || !isWordCharacter(text.charAt(at - 1));
      var endsClean = !isWordCharacter(term.charAt(term.length - 1)) || !isWordCharacter(text.charAt(at + term.length));
      if (startsClean && endsClean) {
        return at;
      }
    }
    return -1;
  }

  function occurrences(text, term) {
    var count = 0;
    for (var at = wordAt(text, term); at >= 0 && count < 5; at = wordAt(text, term, at + term.length)) {
      count++;
    }
    return count;
  }

  // Every term must appear in the section's heading, chapter or text; headings weigh most.
  function find(index, terms) {
    var found = [];
    index.forEach(function (item) {
      var score = 0;
      for (var i = 0; i < terms.length; i++) {
        var inTitle = wordAt(item.title, terms[i]) >= 0;
        var inChapter = wordAt(item.chapter, terms[i]) >= 0;
        var inText = occurrences(item.text, terms[i]);
        if (!inTitle && !inChapter && !inText) {
          return;
        }
        score += (inTitle ? 10 : 0) + (inChapter ? 3 : 0) + inText;
      }
      found.push({ item: item, score: score });
    });
    found.sort(function (a, b) {
      return b.score - a.score;
    });
    return found.slice(0, 10);
  }

  function snippet(item, terms) {
    var text = item.entry.text;
    var at = -1;
    for (var i = 0; i < terms.length && at < 0; i++) {
      at = wordAt(item.text, terms[i]);
    }
    var start = Math.max(0, at - 60);
    var piece = (start > 0 ? "…" : "") + text.slice(start, start + 160) + (start + 160 < text.length ? "…" : "");
    var fragment = document.createDocumentFragment();
    var lower = piece.toLowerCase();
    var position = 0;
    while (position < piece.length) {
      var next = -1;
      var length = 0;
      terms.forEach(function (term) {
        var hit = wordAt(lower, term, position);
        if (hit >= 0 && (next < 0 || hit < next)) {
          next = hit;
          length = term.length;
        }
      });
      if (next < 0) {
        fragment.appendChild(document.createTextNode(piece.slice(position)));
        break;
      }
      fragment.appendChild(document.createTextNode(piece.slice(position, next)));
      var mark = document.createElement("mark");
      mark.textContent = piece.slice(next, next + length);
      fragment.appendChild(mark);
      position = next + length;
    }
    return fragment;
  }

  var selected = -1;
  function select(index) {
    var items = results.querySelectorAll("a");
    selected = items.length ? (index + items.length) % items.length : -1;
    Array.prototype.forEach.call(items, function (item, i) {
      item.setAttribute("aria-selected", i === selected ? "true" : "false");
    });
  }

  function close() {
    results.hidden = true;
    input.setAttribute("aria-expanded", "false");
    selected = -1;
  }

  function show(query) {
    var terms = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (!terms.length) {
      close();
      return;
    }
    withIndex(function (index) {
      if (input.value !== query) {
        return;
      }
      results.textContent = "";
      var found = find(index, terms);
      if (!found.length) {
        var none = document.createElement("li");
        none.className = "search-empty";
        none.textContent = "Nothing in the book matches “" + query + "”.";
        results.appendChild(none);
      }
      found.forEach(function (hit) {
        var li = document.createElement("li");
        var link = document.createElement("a");
        link.href = root + hit.item.entry.url;
        var title = document.createElement("span");
        title.className = "search-title";
        title.textContent = hit.item.entry.title;
        var chapter = document.createElement("span");
        chapter.className = "search-chapter";
        chapter.textContent = hit.item.entry.chapter;
        var text = document.createElement("span");
        text.className = "search-snippet";
        text.appendChild(snippet(hit.item, terms));
        link.appendChild(title);
        link.appendChild(chapter);
        link.appendChild(text);
        li.appendChild(link);
        results.appendChild(li);
      });
      results.hidden = false;
      input.setAttribute("aria-expanded", "true");
      select(0);
    });
  }

  // A reader may have typed before this deferred script ran (plotly.js loads first on chart pages).
  if (input.value) {
    show(input.value);
  }
  input.addEventListener("focus", function () {
    withIndex(function () {});
  });
  input.addEventListener("input", function () {
    show(input.value);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      select(selected + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Enter") {
      var chosen = results.querySelectorAll("a")[Math.max(selected, 0)];
      if (chosen && !results.hidden) {
        event.preventDefault();
        window.location.href = chosen.href;
      }
    } else if (event.key === "Escape") {
      close();
      input.blur();
    }
  });
  document.addEventListener("click", function (event) {
    var inside = function (selector) {
      return event.target.closest && event.target.closest(selector);
    };
    if (!inside(".search")) {
      close();
    }
    if (!inside(".sidebar") && !inside(".menu-toggle")) {
      setDrawer(false);
    }
  });
  document.addEventListener("keydown", function (event) {
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
    if (event.key === "/" && !typing) {
      event.preventDefault();
      input.focus();
    } else if (event.key === "Escape") {
      setDrawer(false);
    }
  });
})();
