/* Tisserand — small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  /* Pickers: a combobox whose proposals come from the server (htmx). */
  function pickerParts(element) {
    var root = element.closest("[data-picker]");
    if (!root) return null;
    return {
      root: root,
      input: root.querySelector("[role=combobox]"),
      code: root.querySelector("[data-picker-code]"),
      status: root.querySelector("[data-picker-status]"),
      list: root.querySelector(".picker__options"),
    };
  }

  function options(parts) {
    return Array.prototype.slice.call(
      parts.list.querySelectorAll("[role=option]:not([aria-disabled=true])")
    );
  }

  function close(parts) {
    parts.list.hidden = true;
    parts.input.setAttribute("aria-expanded", "false");
    parts.input.removeAttribute("aria-activedescendant");
  }

  function choose(parts, option) {
    parts.input.value = option.textContent.trim();
    parts.code.value = option.getAttribute("data-value");
    parts.status.textContent = "Choisi : " + parts.input.value;
    close(parts);
    parts.input.dispatchEvent(new CustomEvent("picker:chosen", { bubbles: true }));
  }

  function highlight(parts, index) {
    var all = options(parts);
    if (!all.length) return;
    index = (index + all.length) % all.length;
    all.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    parts.input.setAttribute("aria-activedescendant", all[index].id);
    all[index].scrollIntoView({ block: "nearest" });
  }

  function currentIndex(parts) {
    return options(parts).findIndex(function (o) {
      return o.getAttribute("aria-selected") === "true";
    });
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    var source = event.detail.requestConfig && event.detail.requestConfig.elt;
    var parts = source && pickerParts(source);
    if (!parts) return;
    var count = options(parts).length;
    parts.list.hidden = false;
    parts.input.setAttribute("aria-expanded", "true");
    parts.status.textContent = count
      ? count + " proposition" + (count > 1 ? "s" : "") + ", flèches pour parcourir, Entrée pour choisir."
      : parts.list.textContent.trim();
  });

  document.addEventListener("input", function (event) {
    var parts = pickerParts(event.target);
    if (parts && event.target === parts.input) parts.code.value = "";
  });

  document.addEventListener("keydown", function (event) {
    var parts = pickerParts(event.target);
    if (!parts || event.target !== parts.input || parts.list.hidden) return;
    var index = currentIndex(parts);
    if (event.key === "ArrowDown") { highlight(parts, index + 1); event.preventDefault(); }
    else if (event.key === "ArrowUp") { highlight(parts, index - 1); event.preventDefault(); }
    else if (event.key === "Escape") { close(parts); }
    else if (event.key === "Enter" && index >= 0) { choose(parts, options(parts)[index]); event.preventDefault(); }
  });

  document.addEventListener("click", function (event) {
    var option = event.target.closest(".picker__options [role=option]");
    if (option && option.getAttribute("aria-disabled") !== "true") {
      choose(pickerParts(option), option);
      return;
    }
    document.querySelectorAll("[data-picker]").forEach(function (root) {
      if (!root.contains(event.target)) close(pickerParts(root));
    });
  });
})();
