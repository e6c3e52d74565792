(function () {
  // The year switcher (assets/templates/beichen-editions.html). Deferred, this runs after the page is
  // parsed and before the theme's script fills the switcher: a script at the switcher's place held
  // the parser, so the header was painted without its PDF link and then grew (a layout shift).
  var opts = typeof DOCUMENTATION_OPTIONS !== "undefined" ? DOCUMENTATION_OPTIONS : null;
  if (opts && location.protocol === "file:") {
    // the browser refuses switcher.json from file://: no fetch, no switcher (the editions link stays)
    delete opts.theme_switcher_json_url;
    document.documentElement.classList.add("beichen-no-switcher");
  } else if (opts && opts.theme_switcher_json_url && !/^[a-z]+:/i.test(opts.theme_switcher_json_url)) {
    // pydata-sphinx-theme 0.15 resolves a relative switcher URL against the server's root, not
    // the edition's: make it absolute from the page's content root
    var root = new URL(document.documentElement.getAttribute("data-content_root") || "./", location.href);
    opts.theme_switcher_json_url = new URL(opts.theme_switcher_json_url, root).href;
  }
  // each entry of the switcher points at the same page of the other edition (the theme would resolve
  // the JSON's relative urls against the current page)
  if (opts && location.protocol !== "file:" && document.querySelector(".version-switcher__menu")) {
    var site = new URL("../", new URL(document.documentElement.getAttribute("data-content_root") || "./", location.href));
    var page = (opts.pagename || "index") + ".html";
    var observer = new MutationObserver(function () {
      var links = document.querySelectorAll(".version-switcher__menu a[data-version]");
      links.forEach(function (a) { a.setAttribute("href", new URL(a.dataset.version + "/" + page, site).href); });
      if (links.length) observer.disconnect();
    });
    observer.observe(document.body, {childList: true, subtree: true});
  }
  function mark() {
    document.querySelectorAll(".pst-scrollable-table-container").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      box.classList.toggle("beichen-scrolls", scrolls);
      // a box that scrolls is reached by the keyboard (arrow keys scroll it), named by its caption
      if (scrolls) {
        var caption = box.querySelector("caption .caption-text, caption");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", caption ? caption.textContent.trim() : "表格");
      } else {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
      if (scrolls && !(box.nextElementSibling && box.nextElementSibling.classList.contains("beichen-scroll-hint"))) {
        var hint = document.createElement("p");
        hint.className = "beichen-scroll-hint";
        hint.textContent = "表格较宽，可左右滑动查看 →";
        box.insertAdjacentElement("afterend", hint);
      }
    });
  }
  // The drawers (章节目录, 本页目录) on a narrow screen: a choice closes them, and Escape closes them
  // wherever the focus is, giving it back to their button (the theme's own Escape works only inside
  // the drawer, and its button puts the focus on the first link when it opens one).
  var DRAWERS = {"pst-primary-sidebar-checkbox": [".bd-sidebar-primary", ".primary-toggle"],
                 "pst-secondary-sidebar-checkbox": [".bd-sidebar-secondary", ".secondary-toggle"]};
  function drawers() {
    Object.keys(DRAWERS).forEach(function (id) {
      var box = document.getElementById(id), panel = document.querySelector(DRAWERS[id][0]);
      if (!box || !panel) return;
      panel.addEventListener("click", function (e) {
        if (e.target.closest && e.target.closest("a[href]")) box.checked = false;
      });
    });
    document.addEventListener("keydown", function (e) {
      if (e.key !== "Escape") return;
      Object.keys(DRAWERS).forEach(function (id) {
        var box = document.getElementById(id);
        if (!box || !box.checked) return;
        box.checked = false;
        var button = document.querySelector(DRAWERS[id][1]);
        if (button) button.focus();
      });
    });
  }
  function start() { mark(); drawers(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
  window.addEventListener("resize", mark);
})();
