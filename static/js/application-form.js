// The application form, improved where JavaScript runs (it works without): word counts as you
// type, automatic saving of drafts, a copy in this browser so nothing typed is lost if it
// closes, and a submit button that cannot be pressed twice.
(function () {
  "use strict";

  function countWords(text) {
    const trimmed = text.trim();
    return trimmed ? trimmed.split(/\s+/).length : 0;
  }

  document.querySelectorAll("textarea[data-word-limit]").forEach((textarea) => {
    const limit = Number(textarea.dataset.wordLimit);
    const counter = document.createElement("p");
    counter.className = "form-text word-count";
    counter.id = `${textarea.id}-words`;
    counter.setAttribute("aria-live", "polite");
    textarea.setAttribute(
      "aria-describedby",
      `${textarea.getAttribute("aria-describedby") || ""} ${counter.id}`.trim(),
    );
    textarea.insertAdjacentElement("afterend", counter);
    const update = () => {
      const words = countWords(textarea.value);
      counter.textContent = `${words} / ${limit}`;
      counter.classList.toggle("text-danger", words > limit);
      counter.classList.toggle("fw-bold", words > limit);
    };
    textarea.addEventListener("input", update);
    update();
  });

  document.querySelectorAll("form").forEach((form) => {
    form.addEventListener("submit", () => {
      // One press is enough: a second would only repeat the same request.
      form.querySelectorAll("button[type=submit]").forEach((button) => {
        setTimeout(() => { button.disabled = true; }, 0);
      });
    });
  });

  const form = document.querySelector("form[data-autosave=on]");
  if (!form) return;
  const status = document.getElementById("autosave-status");
  const key = form.dataset.autosaveKey;
  const texts = {
    saving: status.dataset.saving || "Saving…",
    saved: status.dataset.saved || "Draft saved at %s.",
    conflict: status.dataset.conflict || "A colleague changed an answer. Save the draft to see it.",
    offline: status.dataset.offline || "Not saved: no connection. Your text is kept in this browser.",
    restore: status.dataset.restore || "Restore the text you typed but had not saved",
  };
  let timer = null;
  let dirty = false;

  function fields() {
    return Array.from(form.elements).filter(
      (element) => element.name && element.name.startsWith("criterion_") && element.type !== "file",
    );
  }

  function snapshot() {
    const values = {};
    fields().forEach((element) => {
      if (element.type === "radio") {
        if (element.checked) values[element.name] = element.value;
      } else {
        values[element.name] = element.value;
      }
    });
    return values;
  }

  function keepInBrowser() {
    try {
      localStorage.setItem(key, JSON.stringify({ at: Date.now(), values: snapshot() }));
    } catch (error) { /* storage full or disabled: the server copy still counts */ }
  }

  function restore(values) {
    fields().forEach((element) => {
      if (!(element.name in values)) return;
      if (element.type === "radio") element.checked = element.value === values[element.name];
      else element.value = values[element.name];
      element.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }

  function save(keepalive) {
    if (!dirty) return;
    if (keepalive) dirty = false; // the page is going away: one last save is enough
    const data = new FormData(form);
    Array.from(data.keys()).forEach((name) => {
      if (data.get(name) instanceof File) data.delete(name);
    });
    status.textContent = texts.saving;
    fetch(form.action || window.location.href, {
      method: "POST",
      body: data,
      keepalive: Boolean(keepalive),
      headers: { "X-Autosave": "1" },
      credentials: "same-origin",
    })
      .then((response) => response.json().then((body) => ({ ok: response.ok, body })))
      .then(({ ok, body }) => {
        if (!ok) throw new Error(JSON.stringify(body));
        const revisions = form.querySelector("input[name=revisions]");
        const loaded = JSON.parse(revisions.value || "{}");
        const conflicted = new Set(body.conflicts.map((name) => name.replace("criterion_", "")));
        Object.entries(body.revisions).forEach(([criterion, revision]) => {
          // A conflicting answer keeps its old revision: the next full save explains it.
          if (!conflicted.has(criterion)) loaded[criterion] = revision;
        });
        revisions.value = JSON.stringify(loaded);
        dirty = body.conflicts.length > 0;
        status.textContent = body.conflicts.length
          ? texts.conflict
          : texts.saved.replace("%s", body.saved_at);
        if (!body.conflicts.length) localStorage.removeItem(key);
      })
      .catch(() => { status.textContent = texts.offline; });
  }

  form.addEventListener("input", (event) => {
    if (!event.target.name || !event.target.name.startsWith("criterion_")) return;
    dirty = true;
    keepInBrowser();
    clearTimeout(timer);
    timer = setTimeout(() => save(false), 2000);
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") save(true);
  });
  window.addEventListener("pagehide", () => save(true));
  form.addEventListener("submit", () => {
    // The full save takes over: no background save may follow it with older revisions.
    clearTimeout(timer);
    dirty = false;
    localStorage.removeItem(key);
  });

  // Text typed but never saved (the browser closed, the connection dropped) is offered back.
  let kept = null;
  try { kept = JSON.parse(localStorage.getItem(key) || "null"); } catch (error) { kept = null; }
  if (kept && JSON.stringify(kept.values) !== JSON.stringify(snapshot())) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-warning mb-3";
    button.textContent = texts.restore;
    button.addEventListener("click", () => {
      restore(kept.values);
      dirty = true;
      save(false);
      button.remove();
    });
    form.prepend(button);
  }
})();
