// informex-bot serve: keeps the changing part of a page up to date while something is going.
// Every element with data-live="URL" and data-final="0" is fetched again every second and
// replaced by the server's fragment (HTML the server rendered and escaped); it stops when the
// fragment says data-final="1". No framework, no inline script (the page's CSP forbids it).
(function () {
  "use strict";
  var EVERY_MS = 1000;
  var AFTER_ERROR_MS = 3000;

  function follow(element) {
    var url = element.getAttribute("data-live");
    var shown = null;

    function again(ms) {
      window.setTimeout(tick, ms);
    }

    function tick() {
      fetch(url, { headers: { "X-Live": "1" }, credentials: "same-origin", cache: "no-store" })
        .then(function (response) {
          if (response.status === 401) {
            window.location.reload(); // the session ended: the login page
            return null;
          }
          if (!response.ok) {
            again(AFTER_ERROR_MS);
            return null;
          }
          return response.text();
        })
        .then(function (html) {
          if (html === null) {
            return;
          }
          if (html !== shown) {
            var holder = document.createElement("template");
            holder.innerHTML = html.trim();
            var fresh = holder.content.firstElementChild;
            if (fresh) {
              element.replaceWith(fresh);
              element = fresh;
              shown = html;
            }
          }
          if (element.getAttribute("data-final") !== "1") {
            again(EVERY_MS);
          }
        })
        .catch(function () {
          again(AFTER_ERROR_MS);
        });
    }

    again(EVERY_MS);
  }

  function start() {
    var live = document.querySelectorAll("[data-live]");
    for (var i = 0; i < live.length; i++) {
      if (live[i].getAttribute("data-final") !== "1") {
        follow(live[i]);
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
