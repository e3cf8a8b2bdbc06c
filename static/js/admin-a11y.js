/* The Django admin's widgets named for assistive technology (WCAG 1.3.1 and 4.1.2), on every
   admin page (templates/admin/base_site.html):
   - select2's autocomplete boxes (autocomplete_fields) take the name of their field's label;
     the "clear" cross of a multiple choice, a mouse-only duplicate of Backspace, is hidden from
     screen readers, as it sits among the list's items;
   - filter_horizontal's search icons carry their help as an image's name;
   - list_editable's inputs are named by their column and their row.
   - a table wider than a phone's screen scrolls inside its own region, which the keyboard can
     reach and which is named by the table's caption or the heading before it (WCAG 1.4.10
     reflow and 2.1.1): the changelist's results and inline formsets, which Django already lets
     scroll, and every other table of the content, wrapped in such a region.
   select2 and the filters draw themselves after the page loads and again as they change, so the
   names are given whenever the page's content changes. */
(function () {
  "use strict";

  function labelOf(control) {
    if (!control.id) return null;
    const label = document.querySelector('label[for="' + CSS.escape(control.id) + '"]');
    if (label && !label.id) label.id = control.id + "-label";
    return label;
  }

  function nameAutocompletes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      const container = select.nextElementSibling;
      if (!container || !container.classList.contains("select2")) return;
      const label = labelOf(select);
      if (!label) return;
      const combobox = container.querySelector(".select2-selection");
      const rendered = container.querySelector(".select2-selection__rendered");
      if (combobox) {
        const shown = rendered && rendered.id && !select.multiple ? " " + rendered.id : "";
        combobox.setAttribute("aria-labelledby", label.id + shown);
      }
      if (rendered && rendered.getAttribute("role") === "textbox") {
        rendered.setAttribute("aria-labelledby", label.id);
      }
      container.querySelectorAll(".select2-search__field").forEach(function (field) {
        field.setAttribute("aria-labelledby", label.id);
      });
      container.querySelectorAll(".select2-selection__clear").forEach(function (cross) {
        cross.setAttribute("aria-hidden", "true");
      });
    });
  }

  function nameOpenDropdownSearch() {
    // The search box of an open single choice lives in a dropdown at the end of the page.
    const open = document.querySelector(".select2-container--open .select2-selection");
    const search = document.querySelector(".select2-dropdown .select2-search__field");
    if (open && search && open.getAttribute("aria-labelledby")) {
      search.setAttribute("aria-labelledby", open.getAttribute("aria-labelledby").split(" ")[0]);
    }
  }

  function nameFilterIcons() {
    document.querySelectorAll(".search-label-icon[aria-label]").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  function nameEditableCells() {
    const table = document.getElementById("result_list");
    if (!table) return;
    const headers = Array.from(table.querySelectorAll("thead th")).map(function (th) {
      return th.textContent.trim();
    });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      const cells = Array.from(row.children);
      const rowName = (row.querySelector("th") || cells[1] || cells[0]).textContent.trim();
      cells.forEach(function (cell, index) {
        cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (control) {
          if (control.hasAttribute("aria-label") || control.labels.length) return;
          const column = headers[index] || "";
          control.setAttribute("aria-label", rowName ? column + " – " + rowName : column);
        });
      });
    });
  }

  function headingBefore(element) {
    for (let node = element; node && node.id !== "content"; node = node.parentElement) {
      for (let previous = node.previousElementSibling; previous; previous = previous.previousElementSibling) {
        const heading = previous.matches("h1, h2, h3") ? previous : previous.querySelector("h1, h2, h3");
        if (heading && heading.textContent.trim()) return heading.textContent.trim();
      }
    }
    const title = document.querySelector("#content h1");
    return title ? title.textContent.trim() : document.title;
  }

  function scrollingRegion(region, table) {
    const caption = table && table.querySelector("caption");
    const heading = region.querySelector("h2, h3");
    const name = caption && caption.textContent.trim() ? caption.textContent.trim()
      : heading && heading.textContent.trim() ? heading.textContent.trim() : headingBefore(region);
    region.setAttribute("role", "region");
    region.setAttribute("tabindex", "0");
    region.setAttribute("aria-label", name);
  }

  function tablesScrollable() {
    document.querySelectorAll("#changelist-form .results, .inline-group").forEach(function (region) {
      scrollingRegion(region, region.querySelector("table"));
    });
    document.querySelectorAll("#content table").forEach(function (table) {
      if (table.closest("#changelist-form .results, .inline-group, .table-scroll")) return;
      const region = document.createElement("div");
      region.className = "table-scroll";
      table.parentNode.insertBefore(region, table);
      region.appendChild(table);
      scrollingRegion(region, table);
    });
  }

  function nameAll() {
    nameAutocompletes();
    nameOpenDropdownSearch();
    nameFilterIcons();
    nameEditableCells();
  }

  function start() {
    tablesScrollable();
    nameAll();
    new MutationObserver(nameAll).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
