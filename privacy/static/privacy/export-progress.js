// "Download my data": while a copy is being prepared, its row asks for its progress every two
// seconds and shows it (the label is a live region), then offers the download link.
(function () {
  "use strict";
  var script = document.currentScript;
  var downloadText = (script && script.dataset.downloadText) || "Download";

  function poll(row) {
    var url = row.dataset.statusUrl;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) { return; }
        var label = row.querySelector(".export-label");
        var bar = row.querySelector(".export-progress");
        if (label.textContent !== state.label) { label.textContent = state.label; }
        if (bar) { bar.value = state.progress; bar.textContent = state.progress + "%"; }
        if (state.status === "queued" || state.status === "building") {
          window.setTimeout(function () { poll(row); }, 2000);
          return;
        }
        if (bar) { bar.remove(); }
        var cell = row.querySelector(".export-link");
        if (state.download_url) {
          var link = document.createElement("a");
          link.href = state.download_url;
          link.textContent = downloadText;
          cell.replaceChildren(link);
        }
      })
      .catch(function () { window.setTimeout(function () { poll(row); }, 5000); });
  }

  document.querySelectorAll("tr.data-export[data-status-url]").forEach(function (row) {
    window.setTimeout(function () { poll(row); }, 1000);
  });
})();
