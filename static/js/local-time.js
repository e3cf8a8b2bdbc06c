// Shows an instant in the visitor's own time zone next to the call's, where the browser can tell.
document.querySelectorAll("time[data-local-time]").forEach((element) => {
  const target = document.getElementById(element.dataset.localTime);
  if (!target) return;
  const instant = new Date(element.getAttribute("datetime"));
  const formatted = new Intl.DateTimeFormat(document.documentElement.lang, {
    year: "numeric",
    month: "long",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(instant);
  target.textContent = target.dataset.label.replace("%s", formatted);
});
