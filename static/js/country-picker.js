// The admitted-countries picker: a filter box over the grouped checkboxes, and "choose all" /
// "clear" per group. Without this script the grouped checkbox list works as it is.
(function () {
  "use strict";

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, (match, key) => String(values[key]));
  }

  function setUp(picker) {
    const filter = picker.querySelector("[data-country-filter]");
    const shown = picker.querySelector("[data-country-shown]");
    const groups = Array.from(picker.querySelectorAll("[data-country-group]"));
    const items = Array.from(picker.querySelectorAll("[data-country-search]"));

    function count(group) {
      const boxes = Array.from(group.querySelectorAll("input[type=checkbox]"));
      const label = group.querySelector("[data-country-chosen]");
      const chosen = boxes.filter((box) => box.checked).length;
      label.textContent = "(" + fill(label.dataset.template, { chosen, total: boxes.length }) + ")";
    }

    function apply() {
      const words = filter.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      let visible = 0;
      items.forEach((item) => {
        const match = words.every((word) => item.dataset.countrySearch.includes(word));
        item.hidden = !match;
        if (match) visible += 1;
      });
      groups.forEach((group) => {
        const any = group.querySelector("[data-country-search]:not([hidden])");
        group.hidden = !any;
        if (words.length && any) group.open = true;
      });
      shown.textContent = words.length
        ? fill(shown.dataset.template, { shown: visible, total: items.length })
        : "";
    }

    groups.forEach((group) => {
      const tools = group.querySelector("[data-country-tools]");
      tools.hidden = false;
      // "Choose all" and "Clear" act on the countries the filter shows, so "Choose all" after
      // typing "ia" chooses only the countries listed.
      const boxes = () =>
        Array.from(group.querySelectorAll("[data-country-search]:not([hidden]) input"));
      tools.querySelector("[data-country-all]").addEventListener("click", () => {
        boxes().forEach((box) => (box.checked = true));
        count(group);
      });
      tools.querySelector("[data-country-none]").addEventListener("click", () => {
        boxes().forEach((box) => (box.checked = false));
        count(group);
      });
      group.addEventListener("change", () => count(group));
    });
    picker.querySelector("[data-country-filter-row]").hidden = false;
    filter.addEventListener("input", apply);
    // Enter in the filter box must not send the whole form.
    filter.addEventListener("keydown", (event) => {
      if (event.key === "Enter") event.preventDefault();
    });
  }

  function start() {
    document.querySelectorAll("[data-country-picker]").forEach(setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
