// Dates: each date box (agencies/forms.py DateInput) takes YYYY-MM-DD as typed, whatever the browser's language;
// its calendar button opens a date picker following the WAI-ARIA date picker dialog pattern: a modal dialog with a
// grid of days, previous/next month and previous/next year buttons (the article's single and double arrows), and
// the keys of the pattern. Month and weekday names come from the page's language (Intl.DateTimeFormat).
"use strict";

(() => {
  const ISO = /^(\d{4})([-/])(\d{2})\2(\d{2})$/; // year first: 2024-03-09, or 2024/03/09 as the help article writes it
  const WEEK = 7;

  function pad(number, width) {
    return String(number).padStart(width, "0");
  }

  function isoOf(day) {
    return `${pad(day.getFullYear(), 4)}-${pad(day.getMonth() + 1, 2)}-${pad(day.getDate(), 2)}`;
  }

  // The date a box holds, or null when it holds none (or one that cannot be: 2026-02-30).
  function dateIn(text) {
    const match = ISO.exec((text || "").trim());
    if (!match) return null;
    const [year, month, day] = [match[1], match[3], match[4]].map(Number);
    const date = new Date(year, month - 1, day);
    return date.getMonth() === month - 1 && date.getDate() === day ? date : null;
  }

  // The same day `months` months on, or the month's last day when it has fewer days (31 January + 1 month).
  function addMonths(day, months) {
    const target = new Date(day.getFullYear(), day.getMonth() + months, 1);
    const last = new Date(target.getFullYear(), target.getMonth() + 1, 0).getDate();
    target.setDate(Math.min(day.getDate(), last));
    return target;
  }

  function addDays(day, days) {
    const moved = new Date(day);
    moved.setDate(day.getDate() + days);
    return moved;
  }

  function sameDay(first, second) {
    return Boolean(first && second) && isoOf(first) === isoOf(second);
  }

  function element(tag, attributes = {}, text = "") {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    if (text) node.textContent = text;
    return node;
  }

  // One dialog for the page, made the first time a calendar opens.
  let picker = null;

  function pickerMake(labels) {
    const language = document.documentElement.lang || "en";
    const dialog = element("dialog", { class: "ocms-datepicker", "aria-modal": "true", "aria-label": labels.dialog });
    const header = element("div", { class: "ocms-datepicker-header" });
    const heading = element("h2", { class: "h6 mb-0", id: "ocms-datepicker-month", "aria-live": "polite" });
    const button = (name, label, symbol) => {
      const made = element("button", { type: "button", class: "btn btn-outline-secondary btn-sm", "aria-label": label });
      made.dataset.move = name;
      made.append(element("span", { "aria-hidden": "true" }, symbol));
      return made;
    };
    header.append(
      button("previousYear", labels.previousYear, "«"),
      button("previousMonth", labels.previousMonth, "‹"),
      heading,
      button("nextMonth", labels.nextMonth, "›"),
      button("nextYear", labels.nextYear, "»"),
    );
    const grid = element("table", { role: "grid", class: "ocms-datepicker-grid", "aria-labelledby": heading.id });
    const head = element("thead");
    const names = element("tr");
    const long = new Intl.DateTimeFormat(language, { weekday: "long" });
    const short = new Intl.DateTimeFormat(language, { weekday: "short" });
    for (let index = 0; index < WEEK; index += 1) {
      const weekday = new Date(2024, 8, 1 + index); // 1 September 2024 was a Sunday: weeks begin on Sunday in Canada
      names.append(element("th", { scope: "col", abbr: long.format(weekday) }, short.format(weekday)));
    }
    head.append(names);
    const body = element("tbody");
    grid.append(head, body);
    const keys = element("p", { class: "small mb-0 mt-2", id: "ocms-datepicker-keys" }, labels.keys);
    grid.setAttribute("aria-describedby", keys.id);
    const footer = element("div", { class: "ocms-datepicker-footer" });
    const close = element("button", { type: "button", class: "btn btn-secondary btn-sm" }, labels.close);
    close.dataset.close = "";
    footer.append(close);
    dialog.append(header, grid, keys, footer);
    document.body.append(dialog);

    // input: the box being filled; returnTo: where focus goes when the dialog closes (the button, or the box once a
    // date is chosen); focused: the day that has the focus; chosen: the date the box holds.
    const state = { dialog, input: null, returnTo: null, focused: null, chosen: null };

    // The month of `state.focused`, with that day focusable (and focused when asked).
    state.show = (focus) => {
      const day = state.focused;
      heading.textContent = new Intl.DateTimeFormat(language, { month: "long", year: "numeric" }).format(day);
      const first = new Date(day.getFullYear(), day.getMonth(), 1);
      const start = addDays(first, -first.getDay());
      body.replaceChildren();
      let cell = start;
      for (let row = 0; row < 6; row += 1) {
        const week = element("tr");
        for (let column = 0; column < WEEK; column += 1) {
          if (cell.getMonth() === day.getMonth()) {
            const dayCell = element("td", { tabindex: "-1" }, String(cell.getDate()));
            dayCell.dataset.date = isoOf(cell);
            if (sameDay(cell, state.chosen)) dayCell.setAttribute("aria-selected", "true");
            if (sameDay(cell, day)) dayCell.tabIndex = 0;
            if (sameDay(cell, new Date())) dayCell.classList.add("today");
            week.append(dayCell);
          } else {
            week.append(element("td"));
          }
          cell = addDays(cell, 1);
        }
        body.append(week);
      }
      if (focus) body.querySelector("td[tabindex='0']").focus();
    };

    state.moveTo = (day, focus = true) => {
      state.focused = day;
      state.show(focus);
    };

    state.choose = (iso) => {
      state.input.value = iso;
      // What the page does when a date is typed (the step keeps it in its draft).
      state.input.dispatchEvent(new Event("input", { bubbles: true }));
      state.input.dispatchEvent(new Event("change", { bubbles: true }));
      state.returnTo = state.input;
      dialog.close();
    };

    dialog.addEventListener("click", (event) => {
      const moved = event.target.closest("[data-move]");
      if (moved) {
        const steps = { previousYear: -12, previousMonth: -1, nextMonth: 1, nextYear: 12 };
        state.moveTo(addMonths(state.focused, steps[moved.dataset.move]), false);
        return;
      }
      const day = event.target.closest("td[data-date]");
      if (day) return state.choose(day.dataset.date);
      if (event.target.closest("[data-close]") || event.target === dialog) dialog.close();
    });

    grid.addEventListener("keydown", (event) => {
      const day = state.focused;
      const moves = {
        ArrowLeft: () => addDays(day, -1),
        ArrowRight: () => addDays(day, 1),
        ArrowUp: () => addDays(day, -WEEK),
        ArrowDown: () => addDays(day, WEEK),
        Home: () => addDays(day, -day.getDay()),
        End: () => addDays(day, WEEK - 1 - day.getDay()),
        PageUp: () => addMonths(day, event.shiftKey ? -12 : -1),
        PageDown: () => addMonths(day, event.shiftKey ? 12 : 1),
      };
      if (moves[event.key]) {
        event.preventDefault();
        state.moveTo(moves[event.key]());
      } else if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        state.choose(isoOf(day));
      }
    });

    // Tab and Shift+Tab go round the dialog's controls (the focusable day among them), never out of it.
    dialog.addEventListener("keydown", (event) => {
      if (event.key !== "Tab") return;
      const stops = [...dialog.querySelectorAll("button, td[tabindex='0']")];
      const at = stops.indexOf(document.activeElement);
      const next = (at + (event.shiftKey ? -1 : 1) + stops.length) % stops.length;
      event.preventDefault();
      stops[next].focus();
    });

    // Escape (the dialog's cancel) or Close: back to the button that opened it; a date chosen: to its box.
    dialog.addEventListener("close", () => {
      const returnTo = state.returnTo;
      state.input = null;
      state.returnTo = null;
      if (returnTo) returnTo.focus();
    });
    return state;
  }

  function pickerOpen(button) {
    const input = button.parentElement.querySelector("input[data-date-input]");
    if (!input || input.disabled || input.readOnly) return;
    if (!picker) picker = pickerMake(JSON.parse(button.dataset.labels));
    picker.input = input;
    picker.returnTo = button;
    picker.chosen = dateIn(input.value);
    picker.focused = picker.chosen || new Date();
    // Below the box, where the eye already is.
    const box = input.getBoundingClientRect();
    picker.dialog.style.top = `${window.scrollY + box.bottom + 4}px`;
    picker.dialog.showModal();
    picker.show(true);
    // Never past the right edge of a narrow screen.
    const room = window.scrollX + document.documentElement.clientWidth - picker.dialog.offsetWidth - 8;
    picker.dialog.style.left = `${Math.max(window.scrollX, Math.min(window.scrollX + box.left, room))}px`;
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-date-picker]");
    if (button) pickerOpen(button);
  });

  // The calendar buttons need this script: shown once it runs, and in rows added later (the [+] rows, htmx). Every
  // button is named "Choose date"; its field's label describes it, so a screen reader says which date it chooses.
  function buttonsShow(root) {
    root.querySelectorAll("[data-date-picker][hidden]").forEach((button) => {
      const input = button.closest(".ocms-date").querySelector("input");
      const label = input && input.id && document.querySelector(`label[for="${CSS.escape(input.id)}"]`);
      if (label) {
        label.id = label.id || `${input.id}_label`;
        button.setAttribute("aria-describedby", label.id);
      }
      button.removeAttribute("hidden");
    });
  }
  document.addEventListener("DOMContentLoaded", () => {
    buttonsShow(document);
    new MutationObserver((changes) => {
      for (const change of changes) {
        change.addedNodes.forEach((node) => node.querySelectorAll && buttonsShow(node));
      }
    }).observe(document.body, { childList: true, subtree: true });
  });
})();
