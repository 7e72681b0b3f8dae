// Mock portal: the confirm dialog of the "i" button, closing popups, and polling a running
// injection until it is done (then the page reloads and shows the Informex dossier number).
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
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
