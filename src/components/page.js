// Rehearse: what every page does in the browser without WebAssembly.
// Inlined by `components::page_script` with the response's CSP nonce.
// The bank pages a visitor reads load nothing else.
(() => {
  "use strict";
  const next = { system: "light", light: "dark", dark: "system" };
  const label = { system: "Theme: system", light: "Theme: light", dark: "Theme: dark" };

  // The theme toggle: system, light, dark; kept in a cookie for a year so
  // the server renders the chosen theme from the first byte.
  document.addEventListener("click", (ev) => {
    const button = ev.target instanceof Element && ev.target.closest("button.theme-toggle");
    if (!button) return;
    const theme = next[button.dataset.themeChoice] || "light";
    button.dataset.themeChoice = theme;
    button.textContent = label[theme];
    document.documentElement.setAttribute("data-theme", theme);
    document.cookie = "rehearse_theme=" + theme + "; Path=/; Max-Age=31536000; SameSite=Lax";
  });

  // Filter forms inside `.auto-apply` follow their checkboxes at once, and
  // an empty search box leaves no bare `q=` in the address.
  document.addEventListener("change", (ev) => {
    const input = ev.target;
    if (input instanceof HTMLInputElement && input.type === "checkbox" &&
        input.form && input.closest(".auto-apply")) {
      input.form.requestSubmit();
    }
  });
  document.addEventListener("submit", (ev) => {
    const form = ev.target;
    if (!(form instanceof HTMLFormElement) || !form.closest(".auto-apply")) return;
    const search = form.querySelector("input[name=q]");
    if (search && !search.value.trim()) search.removeAttribute("name");
  });
})();
