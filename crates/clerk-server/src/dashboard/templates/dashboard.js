// The dashboard's only script. Short polling: an element with data-poll="<url>" has its
// contents replaced every few seconds by the HTML fragment at that URL (same origin, the
// session cookie travels with it). No connection is held open; a failed poll is retried at
// the next tick. And a field marked data-autosubmit submits its (GET) form when it changes
// (the JWT template preview follows the chosen template). A form marked data-reveal (a
// POST carrying the CSRF token) is posted by fetch and replaced by the secret it answers,
// so the list stays in place; without the script it answers a page. Pages work without it.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-autosubmit]").forEach(function (field) {
    field.addEventListener("change", function () {
      if (field.form && field.form.checkValidity()) { field.form.submit(); }
    });
  });
  document.querySelectorAll("form[data-reveal]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      fetch(form.action, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Dashboard-Fragment": "1" },
        body: new URLSearchParams(new FormData(form)).toString()
      })
        .then(function (r) {
          if (!r.ok || r.redirected) { throw new Error("reveal refused"); }
          return r.text();
        })
        .then(function (html) {
          var holder = document.createElement("div");
          holder.innerHTML = html;
          form.replaceWith(holder);
          var field = holder.querySelector("input");
          if (field) { field.focus(); field.select(); }
        })
        .catch(function () { form.submit(); });
    });
  });
  document.querySelectorAll("[data-poll]").forEach(function (el) {
    var url = el.getAttribute("data-poll");
    var every = parseInt(el.getAttribute("data-poll-ms") || "3000", 10);
    var busy = false;
    setInterval(function () {
      if (busy || document.hidden) { return; }
      busy = true;
      fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (r) {
          if (r.redirected || !r.ok) { return null; }
          return r.text();
        })
        .then(function (html) {
          if (html !== null && html !== el.innerHTML) { el.innerHTML = html; }
        })
        .catch(function () {})
        .finally(function () { busy = false; });
    }, every);
  });
});
