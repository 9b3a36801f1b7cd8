// publish serve: added by the server to the pages it serves, never written into an
// edition. It reloads the page when its edition was rebuilt (keeping the scroll
// position), shows the diagnostics of a failed build over the last good edition, and
// drives the PDF viewer's page box and the EPUB reading view's pager.
// Everything from the server is put in the page as text (textContent), never as markup:
// diagnostics quote the manuscript.
(() => {
  "use strict";
  const me = document.currentScript;
  const data = me.dataset;
  const slug = data.slug; // "*" on the home page
  const scrollKey = "publish-serve-scroll:" + location.pathname;

  const saved = sessionStorage.getItem(scrollKey);
  if (saved !== null) {
    sessionStorage.removeItem(scrollKey);
    const [x, y] = JSON.parse(saved);
    const back = () => window.scrollTo(x, y);
    back();
    window.addEventListener("load", back, { once: true });
  }

  function reload() {
    sessionStorage.setItem(scrollKey, JSON.stringify([window.scrollX, window.scrollY]));
    location.reload();
  }

  function element(tag, className, text) {
    const made = document.createElementNS("http://www.w3.org/1999/xhtml", tag);
    if (className) made.className = className;
    if (text !== undefined) made.textContent = text;
    return made;
  }

  // Our furniture lives in shadow roots, so the edition's styles and ours do not mix.
  const STYLE = `
    :host { all: initial; }
    div { font: 14px/1.45 system-ui, sans-serif; color: #1d1d1f; box-sizing: border-box; }
    .overlay { position: fixed; inset: 0 0 auto 0; max-height: 60vh; overflow: auto;
      z-index: 2147483647; background: #fff; border-bottom: 4px solid #b3261e;
      box-shadow: 0 4px 24px rgba(0,0,0,.35); padding: 12px 20px; }
    .overlay[hidden], .warnings[hidden], .building[hidden], .list[hidden] { display: none; }
    h2 { font: 600 16px/1.3 system-ui, sans-serif; color: #b3261e; margin: 0 0 4px; }
    p { margin: 0 0 8px; }
    ul { margin: 0; padding: 0; list-style: none; }
    li { font: 13px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; white-space: pre-wrap;
      overflow-wrap: anywhere; padding: 4px 8px; margin: 4px 0; border-radius: 3px; }
    li.error { background: #fdecea; color: #8c1d18; }
    li.warning { background: #fff4e0; color: #6b4500; }
    button { font: inherit; cursor: pointer; }
    .overlay button { float: right; }
    .warnings { position: fixed; right: 12px; bottom: 12px; max-width: min(40rem, 90vw);
      max-height: 50vh; overflow: auto; z-index: 2147483646; background: #fff;
      border: 1px solid #e0b060; border-radius: 4px; padding: 4px 8px;
      box-shadow: 0 2px 10px rgba(0,0,0,.2); }
    .warnings > button { background: none; border: 0; color: #6b4500; font-weight: 600; }
    .building { position: fixed; left: 12px; bottom: 12px; z-index: 2147483646;
      background: #1d1d1f; color: #fff; border-radius: 12px; padding: 2px 10px; }
    .pager { display: flex; justify-content: space-between; gap: 12px; padding: 8px 12px;
      margin: 8px 0; border: 1px solid #ddd; border-radius: 4px; background: #fafafa; }
    .pager a { color: #0b57d0; }
  `;

  function mount(first) {
    const host = element("publish-serve");
    const body = document.body || document.documentElement;
    if (first) body.insertBefore(host, body.firstChild);
    else body.appendChild(host);
    const shadow = host.attachShadow({ mode: "open" });
    const style = element("style");
    style.textContent = STYLE;
    shadow.appendChild(style);
    return shadow;
  }

  let fixed = null;
  function part(name) {
    fixed = fixed || mount(false);
    let found = fixed.querySelector("." + name);
    if (!found) {
      found = element("div", name);
      found.hidden = true;
      fixed.appendChild(found);
    }
    return found;
  }

  function problems(state, severity) {
    return state.diagnostics.filter((d) => d.severity === severity);
  }

  function list(items) {
    const ul = element("ul", "list");
    for (const d of items) ul.appendChild(element("li", d.severity, d.text));
    return ul;
  }

  function showOverlay(state) {
    const box = part("overlay");
    if (!state.failed) {
      box.hidden = true;
      box.replaceChildren();
      return;
    }
    const close = element("button", "", "Hide");
    close.addEventListener("click", () => { box.hidden = true; });
    box.replaceChildren(
      close,
      element("h2", "", "The last build of " + state.source + " failed"),
      element("p", "", "This page shows the last good edition; it is untouched on disk. "
        + "Save a fix and this message goes."),
      list(state.diagnostics),
    );
    box.setAttribute("role", "alert");
    box.hidden = false;
  }

  function showWarnings(state) {
    const box = part("warnings");
    const warnings = state.failed ? [] : problems(state, "warning");
    if (!warnings.length) {
      box.hidden = true;
      box.replaceChildren();
      return;
    }
    const items = list(warnings);
    items.hidden = true;
    const toggle = element("button", "",
      warnings.length + (warnings.length === 1 ? " warning" : " warnings"));
    toggle.addEventListener("click", () => { items.hidden = !items.hidden; });
    box.replaceChildren(toggle, items);
    box.hidden = false;
  }

  function showBuilding(now) {
    const box = part("building");
    box.textContent = "building…";
    box.hidden = !now;
  }

  // The PDF viewer: the browser's own viewer in a frame, reopened at the page in the
  // page box after a rebuild (#page=N; the viewer's own scrolling is out of our reach).
  const frame = document.getElementById("publish-serve-pdf");
  if (frame) {
    const box = document.getElementById("publish-serve-page");
    const key = "publish-serve-pdf-page:" + slug;
    const open = () => {
      const page = Math.max(1, parseInt(sessionStorage.getItem(key) || "1", 10) || 1);
      box.value = String(page);
      frame.src = frame.dataset.src + "#page=" + page;
    };
    box.addEventListener("change", () => {
      sessionStorage.setItem(key, String(Math.max(1, parseInt(box.value, 10) || 1)));
      open();
    });
    open();
  }

  // The EPUB reading view: previous and next document in reading order, at the top
  // and at the end of each one.
  if (data.count) {
    const link = (href, text) => {
      if (!href) return element("span");
      const a = element("a", "", text);
      a.href = href;
      return a;
    };
    const pager = () => {
      const bar = element("div", "pager");
      bar.append(
        link(data.prev, "← Previous"),
        element("span", "", data.name + " · " + data.index + " of " + data.count),
        link("/", "All articles"),
        link(data.next, "Next →"),
      );
      return bar;
    };
    mount(true).appendChild(pager());
    mount(false).appendChild(pager());
    // A reading system's margins and measure around the text, as an e-reader gives.
    const reader = element("style");
    reader.textContent = "body { max-width: 36em; margin: 1em auto; padding: 0 1.75em; }";
    (document.head || document.documentElement).appendChild(reader);
  }

  function follow(handle) {
    if (window.SharedWorker) {
      const worker = new SharedWorker("/_serve/worker.js");
      worker.port.onmessage = (message) => handle(JSON.parse(message.data));
      worker.port.start();
      window.addEventListener("pagehide", () => worker.port.postMessage("bye"));
    } else if (window.EventSource) {
      const events = new EventSource("/_serve/events");
      events.onmessage = (message) => handle(JSON.parse(message.data));
      window.addEventListener("pagehide", () => events.close());
    }
    // Back from the browser's page cache: the stream was left, the page may be stale.
    window.addEventListener("pageshow", (event) => {
      if (event.persisted) location.reload();
    });
  }

  follow((all) => {
    if (data.server !== undefined && all.server !== data.server) {
      // Another run of the server: its generations start again from 0.
      reload();
      return;
    }
    if (slug === "*") {
      if (String(all.version) !== data.version) reload();
      return;
    }
    const state = all.articles[slug];
    if (!state) return;
    if (state.generation > Number(data.generation)) {
      reload();
      return;
    }
    showOverlay(state);
    showWarnings(state);
    showBuilding(state.building);
  });
})();
