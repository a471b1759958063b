/* ratsuche search widget.
 * Put these two lines on any page:
 *   <script src="https://RATSUCHE-HOST/widget.js" defer></script>
 *   <div data-ratsuche></div>
 * Optional attributes on the element: data-per-page="10", data-type="Anfrage" (a filter,
 * repeat with commas), data-placeholder="…". Results come from the JSON API (/api/search),
 * which answers cross-origin requests from the origins the server allows (--cors-origins). */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script ? script.src.replace(/\/widget\.js(\?.*)?$/, "") : "";

  var css =
    ".ratsuche-widget{font:inherit;max-width:48rem}" +
    ".ratsuche-widget form{display:flex;gap:.5rem;flex-wrap:wrap;align-items:end}" +
    ".ratsuche-widget label{flex:1;min-width:12rem;display:flex;flex-direction:column}" +
    ".ratsuche-widget input{font-size:1rem;padding:.4rem}" +
    ".ratsuche-widget button{font-size:1rem;padding:.4rem .9rem;background:#0b3d66;color:#fff;border:0;border-radius:4px}" +
    ".ratsuche-widget ol{list-style:none;padding:0}" +
    ".ratsuche-widget li{border-bottom:1px solid #ddd;padding:.5rem 0}" +
    ".ratsuche-widget .ratsuche-meta{color:#555;font-size:.9em}" +
    ".ratsuche-widget mark{background:#ffe066}";

  function element(name, attributes, text) {
    var node = document.createElement(name);
    Object.keys(attributes || {}).forEach(function (key) {
      node.setAttribute(key, attributes[key]);
    });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* Snippets are HTML with <mark> as the only markup; copy text and marks, drop anything else. */
  function snippet(html) {
    var paragraph = element("p");
    var parsed = new DOMParser().parseFromString(html, "text/html");
    parsed.body.childNodes.forEach(function (child) {
      if (child.nodeType === 3) {
        paragraph.appendChild(document.createTextNode(child.textContent));
      } else if (child.nodeName === "MARK") {
        paragraph.appendChild(element("mark", {}, child.textContent));
      } else {
        paragraph.appendChild(document.createTextNode(child.textContent || ""));
      }
    });
    return paragraph;
  }

  function dateText(iso) {
    if (!iso) return "ohne Datum";
    var parts = iso.split("-");
    return parts[2] + "." + parts[1] + "." + parts[0];
  }

  function init(root, index) {
    if (root.getAttribute("data-ratsuche-ready")) return;
    root.setAttribute("data-ratsuche-ready", "1");
    root.classList.add("ratsuche-widget");
    var perPage = parseInt(root.getAttribute("data-per-page") || "10", 10) || 10;
    var types = (root.getAttribute("data-type") || "").split(",").filter(Boolean);
    var id = "ratsuche-q-" + index;
    var form = element("form", { role: "search", action: base + "/", method: "get" });
    var label = element("label", { for: id }, "Suche in Ratsdokumenten");
    var input = element("input", {
      type: "search",
      id: id,
      name: "q",
      autocomplete: "off",
      placeholder: root.getAttribute("data-placeholder") || "z. B. Radweg, Haushalt",
    });
    label.appendChild(input);
    form.appendChild(label);
    form.appendChild(element("button", { type: "submit" }, "Suchen"));
    var status = element("p", { "aria-live": "polite", class: "ratsuche-status" });
    var list = element("ol", { class: "ratsuche-hits" });
    root.appendChild(form);
    root.appendChild(status);
    root.appendChild(list);

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var params = new URLSearchParams();
      params.set("q", input.value);
      params.set("per_page", String(perPage));
      types.forEach(function (type) { params.append("type", type.trim()); });
      status.textContent = "Suche läuft …";
      fetch(base + "/api/search?" + params.toString(), { headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.json().then(function (body) {
            if (!response.ok) throw new Error(body.error || response.statusText);
            return body;
          });
        })
        .then(function (body) {
          list.textContent = "";
          status.textContent = body.total + " Treffer";
          body.hits.forEach(function (hit) {
            var item = element("li", { class: "ratsuche-hit" });
            var heading = element("a", { href: base + hit.url, target: "_blank", rel: "noopener" }, hit.title);
            item.appendChild(heading);
            var meta = [hit.reference, hit.type, hit.originator, dateText(hit.date)].filter(Boolean).join(" · ");
            item.appendChild(element("div", { class: "ratsuche-meta" }, meta));
            (hit.snippets || []).slice(0, 1).forEach(function (html) { item.appendChild(snippet(html)); });
            list.appendChild(item);
          });
          if (body.total > body.hits.length) {
            var more = element("li");
            more.appendChild(element("a", { href: base + "/?" + params.toString(), target: "_blank", rel: "noopener" }, "Alle " + body.total + " Treffer bei ratsuche"));
            list.appendChild(more);
          }
        })
        .catch(function (error) {
          status.textContent = "Die Suche ist fehlgeschlagen: " + error.message;
        });
    });
  }

  function start() {
    if (!document.getElementById("ratsuche-widget-style")) {
      var style = element("style", { id: "ratsuche-widget-style" }, css);
      document.head.appendChild(style);
    }
    document.querySelectorAll("[data-ratsuche]").forEach(init);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
