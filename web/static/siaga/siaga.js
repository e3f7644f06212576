// Siaga's small behaviours. No inline scripts anywhere (strict CSP): pages use data attributes.
(function () {
  "use strict";
  // <form data-confirm="..."> or <button data-confirm="...">: ask before a destructive action.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute("data-confirm") ||
      (event.submitter && event.submitter.getAttribute("data-confirm"));
    if (message && !window.confirm(message)) { event.preventDefault(); }
  }, true);
  document.addEventListener("htmx:confirm", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (!message) { return; }
    event.preventDefault();
    if (window.confirm(message)) { event.detail.issueRequest(true); }
  });
  // Toasts close on click and fade after a while.
  document.addEventListener("click", function (event) {
    if (event.target.classList.contains("toast-close")) { event.target.parentElement.remove(); }
  });
  function fadeToasts() {
    document.querySelectorAll(".toast:not(.error)").forEach(function (toast) {
      setTimeout(function () { toast.classList.add("gone"); }, 6000);
    });
  }
  document.addEventListener("DOMContentLoaded", fadeToasts);
  // Server sends HX-Trigger: {"toast": {"message": "...", "level": "success"}}
  document.addEventListener("toast", function (event) {
    var box = document.getElementById("toasts");
    if (!box || !event.detail) { return; }
    var div = document.createElement("div");
    div.className = "toast " + (event.detail.level || "info");
    div.setAttribute("role", "status");
    div.textContent = event.detail.message || event.detail.value || "";
    box.appendChild(div);
    fadeToasts();
  });
  // <select data-autosubmit> submits its form (filters kept in the URL).
  document.addEventListener("change", function (event) {
    if (event.target.hasAttribute("data-autosubmit")) { event.target.form.requestSubmit(); }
  });
  // <button data-copy="text"> copies to the clipboard.
  document.addEventListener("click", function (event) {
    var text = event.target.getAttribute && event.target.getAttribute("data-copy");
    if (text && navigator.clipboard) { navigator.clipboard.writeText(text); }
  });
  // <button data-menu-toggle> in the header: on a phone the menu, the language and the account line fold
  // behind it (header.has-menu; the CSS shows the button only on narrow screens). Without JS they wrap.
  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector("[data-menu-toggle]");
    if (!toggle) { return; }
    var header = toggle.closest("header");
    function setOpen(open) {
      header.classList.toggle("menu-open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
    header.classList.add("has-menu");
    setOpen(false);
    toggle.addEventListener("click", function () { setOpen(!header.classList.contains("menu-open")); });
    header.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && header.classList.contains("menu-open")) { setOpen(false); toggle.focus(); }
    });
  });
})();
