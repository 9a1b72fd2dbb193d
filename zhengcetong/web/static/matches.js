// 「我能享受的政策」: answering a question updates the result at once.
// (form.action is shadowed by the buttons named "action": read the attribute.)
// Without this script the page works the same through its 「更新结果」 button.
(function () {
  "use strict";
  let pending = null;
  let busy = false;

  async function refresh(form, focusName) {
    if (busy) { pending = [form, focusName]; return; }
    busy = true;
    const body = new FormData(form);
    body.set("action", "preview");
    try {
      const response = await fetch(form.getAttribute("action"), { method: "POST", body: body, credentials: "same-origin" });
      const html = await response.text();
      const next = new DOMParser().parseFromString(html, "text/html").getElementById("matches");
      const here = document.getElementById("matches");
      if (next && here) {
        here.replaceWith(next);
        bind();
        if (focusName) {
          const field = document.querySelector('[name="' + CSS.escape(focusName) + '"]');
          if (field) field.focus({ preventScroll: true });
        }
      }
    } finally {
      busy = false;
      if (pending) { const [f, n] = pending; pending = null; refresh(f, n); }
    }
  }

  function bind() {
    const form = document.getElementById("answers");
    if (!form) return;
    form.addEventListener("change", function (event) {
      refresh(form, event.target && event.target.name);
    });
    const live = document.getElementById("matches");
    if (live) live.setAttribute("aria-live", "polite");
  }

  document.addEventListener("DOMContentLoaded", bind);
})();
