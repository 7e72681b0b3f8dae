// Mock portal: the confirm dialog of the "i" button, closing popups, the Winformex dossier menu
// (menu layout: Bewerken → 2e circuit → expertise), and polling a running injection until it is
// done (then the page reloads and shows the Informex dossier number).
(function () {
  "use strict";

  // A menu button [data-menu-toggle] shows or hides its submenu; opening one closes the other
  // open submenus that are not its ancestors; a click elsewhere or Escape closes them all.
  function setOpen(button, open) {
    var list = document.getElementById(button.getAttribute("data-menu-toggle"));
    if (!list) return;
    list.hidden = !open;
    button.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) {
      list.querySelectorAll("[data-menu-toggle]").forEach(function (inner) { setOpen(inner, false); });
    }
  }

  function closeMenus(except) {
    document.querySelectorAll('[data-menu-toggle][aria-expanded="true"]').forEach(function (button) {
      var list = document.getElementById(button.getAttribute("data-menu-toggle"));
      if (!except || !list || !list.contains(except)) setOpen(button, false);
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") closeMenus(null);
  });

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-menu-toggle]");
    if (toggle) {
      var wasOpen = toggle.getAttribute("aria-expanded") === "true";
      closeMenus(toggle);
      setOpen(toggle, !wasOpen);
      if (!wasOpen) {
        var first = document.getElementById(toggle.getAttribute("data-menu-toggle"))
          .querySelector('[role="menuitem"]');
        if (first) first.focus();
      }
      return;
    }
    if (!event.target.closest('[role="menubar"]')) closeMenus(null);
    var opener = event.target.closest("[data-open-dialog]");
    if (opener) {
      var dialog = document.getElementById(opener.getAttribute("data-open-dialog"));
      if (dialog && !dialog.open) dialog.showModal();
      return;
    }
    var closer = event.target.closest("[data-close-dialog]");
    if (closer) {
      var parent = closer.closest("dialog");
      if (parent) parent.close();
      return;
    }
    var popupButton = event.target.closest("[data-popup-close]");
    if (popupButton) {
      var popup = popupButton.closest("[data-popup]");
      var body = new URLSearchParams();
      body.set("csrf_token", document.body.getAttribute("data-csrf") || "");
      body.set("kind", popup.getAttribute("data-popup"));
      fetch(popup.getAttribute("data-popup-url"), {
        method: "POST", body: body, credentials: "same-origin"
      }).catch(function () { /* remembered next time, or the popup comes back */ });
      popup.remove();
    }
  });

  var busy = document.querySelector("[data-poll-url]");
  if (busy) {
    var url = busy.getAttribute("data-poll-url");
    var poll = function () {
      fetch(url, { credentials: "same-origin", cache: "no-store" })
        .then(function (response) {
          if (!response.ok || response.redirected) throw new Error("status " + response.status);
          return response.json();
        })
        .then(function (status) {
          if (status.state === "pending") {
            window.setTimeout(poll, 500);
          } else {
            window.location.reload();
          }
        })
        .catch(function () { window.location.reload(); });
    };
    window.setTimeout(poll, 500);
  }
})();
