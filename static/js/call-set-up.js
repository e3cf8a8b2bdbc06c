// The one-page set-up of a call: "Add a section" and "Add a criterion to this section" copy the
// blank rows the page carries in <template>s, each under the next free formset prefix. Without
// this script the page offers a few blank rows, and more after "Save and continue editing".
(function () {
  "use strict";

  function addCriterion(section) {
    const prefix = section.dataset.prefix; // "sections-3"
    const total = document.getElementById("id_" + prefix + "-criteria-TOTAL_FORMS");
    const index = Number(total.value);
    const html = document
      .querySelector("template[data-blank-criterion]")
      .innerHTML.replaceAll("sections-__section__-criteria-__criterion__", prefix + "-criteria-" + index)
      .replaceAll("__snumber__", section.dataset.number)
      .replaceAll("__cnumber__", String(index + 1));
    section.querySelector("[data-criteria]").insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    document.getElementById("id_" + prefix + "-criteria-" + index + "-code").focus();
  }

  function wire(section) {
    section.querySelector("[data-add-tools]").hidden = false;
    section
      .querySelector("[data-add-criterion]")
      .addEventListener("click", () => addCriterion(section));
  }

  function start() {
    const sections = document.querySelector("[data-sections]");
    const template = document.querySelector("template[data-blank-section]");
    if (!sections || !template) return;
    sections.querySelectorAll("[data-section]").forEach(wire);
    const addSection = document.querySelector("[data-add-section]");
    addSection.closest("[data-add-tools]").hidden = false;
    addSection.addEventListener("click", () => {
      const total = document.getElementById("id_sections-TOTAL_FORMS");
      const index = Number(total.value);
      const html = template.innerHTML
        .replaceAll("sections-__section__", "sections-" + index)
        .replaceAll("__snumber__", String(index + 1));
      sections.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      const added = sections.lastElementChild;
      wire(added);
      document.getElementById("id_sections-" + index + "-title").focus();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
