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

  function occurrences(text, term) {
    var count = 0;
    for (var at = text.indexOf(term); at >= 0 && count < 5; at = text.indexOf(term, at + term.length)) {
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
        var inTitle = item.title.indexOf(terms[i]) >= 0;
        var inChapter = item.chapter.indexOf(terms[i]) >= 0;
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
      at = item.text.indexOf(terms[i]);
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
        var hit = lower.indexOf(term, position);
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
