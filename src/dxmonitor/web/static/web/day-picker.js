/* A day picker for every <input class="day-picker">: the day is typed as dd/mm/yyyy or picked from a month grid
   that opens under the input, with Vietnamese or English labels (the page's <html lang>). Keyboard: ↓ or Alt+↓ in
   the input opens the grid; in the grid the arrows move a day or a week, PageUp/PageDown a month, Home/End the
   week's ends, Enter or Space picks, Escape closes. Enter in the input confirms the typed day and closes the grid;
   it never sends the form. The input stays a plain text field: without scripts the day is simply typed. */
(function () {
  "use strict";
  var WORDS = {
    vi: {
      weekdays: ["T2", "T3", "T4", "T5", "T6", "T7", "CN"],
      month: function (m, y) { return "Tháng " + m + "/" + y; },
      previous: "Tháng trước", next: "Tháng sau", dialog: "Chọn ngày", today: "Hôm nay"
    },
    en: {
      weekdays: ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"],
      month: function (m, y) {
        return ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December"][m - 1] + " " + y;
      },
      previous: "Previous month", next: "Next month", dialog: "Choose a day", today: "Today"
    }
  };
  var words = WORDS[(document.documentElement.lang || "vi").slice(0, 2)] || WORDS.vi;

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function written(day) { return pad(day.getDate()) + "/" + pad(day.getMonth() + 1) + "/" + day.getFullYear(); }
  function read(text) {
    var m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text || "");
    if (!m) return null;
    var day = new Date(+m[3], +m[2] - 1, +m[1]);
    return day.getMonth() === +m[2] - 1 && day.getDate() === +m[1] ? day : null;
  }
  function sameDay(a, b) { return a && b && a.toDateString() === b.toDateString(); }
  function add(day, days) { return new Date(day.getFullYear(), day.getMonth(), day.getDate() + days); }
  function addMonths(day, months) {
    var last = new Date(day.getFullYear(), day.getMonth() + months + 1, 0).getDate();
    return new Date(day.getFullYear(), day.getMonth() + months, Math.min(day.getDate(), last));
  }

  function attach(input) {
    var box = document.createElement("div");
    box.className = "day-picker-calendar";
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-label", words.dialog);
    box.hidden = true;
    input.insertAdjacentElement("afterend", box);
    input.setAttribute("autocomplete", "off");
    var shown = null;  // the day the grid is about (its month is drawn; it has the keyboard's focus)

    function button(text, label, onClick) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = text;
      b.setAttribute("aria-label", label);
      b.addEventListener("click", onClick);
      return b;
    }

    function draw(focus) {
      var chosen = read(input.value), today = new Date();
      box.textContent = "";
      var head = document.createElement("div");
      head.className = "day-picker-head";
      head.appendChild(button("‹", words.previous, function () { move(addMonths(shown, -1)); }));
      var title = document.createElement("span");
      title.className = "day-picker-month";
      title.setAttribute("aria-live", "polite");
      title.textContent = words.month(shown.getMonth() + 1, shown.getFullYear());
      head.appendChild(title);
      head.appendChild(button("›", words.next, function () { move(addMonths(shown, 1)); }));
      box.appendChild(head);
      var grid = document.createElement("div");
      grid.className = "day-picker-grid";
      grid.setAttribute("role", "grid");
      words.weekdays.forEach(function (w) {
        var cell = document.createElement("span");
        cell.className = "day-picker-weekday";
        cell.setAttribute("role", "columnheader");
        cell.textContent = w;
        grid.appendChild(cell);
      });
      var first = new Date(shown.getFullYear(), shown.getMonth(), 1);
      var start = add(first, -((first.getDay() + 6) % 7));  // Monday first
      for (var i = 0; i < 42; i++) {
        var day = add(start, i);
        if (i === 35 && day.getMonth() !== shown.getMonth()) break;  // no empty sixth week
        var b = button(String(day.getDate()), written(day), pick.bind(null, day));
        b.className = "day-picker-day";
        b.setAttribute("role", "gridcell");
        b.tabIndex = sameDay(day, shown) ? 0 : -1;
        if (day.getMonth() !== shown.getMonth()) b.classList.add("other-month");
        if (sameDay(day, today)) { b.classList.add("today"); b.setAttribute("aria-current", "date"); }
        if (sameDay(day, chosen)) { b.classList.add("chosen"); b.setAttribute("aria-selected", "true"); }
        b.dataset.day = written(day);
        grid.appendChild(b);
      }
      box.appendChild(grid);
      if (focus) {
        var current = grid.querySelector('[tabindex="0"]');
        if (current) current.focus();
      }
    }

    function move(day) {
      var focus = box.contains(document.activeElement);
      shown = day;
      draw(focus);
    }
    function open(focus) {
      shown = read(input.value) || shown || new Date();
      box.hidden = false;
      draw(focus);
    }
    function close() { box.hidden = true; }
    function pick(day) {
      input.value = written(day);
      input.dispatchEvent(new Event("change", {bubbles: true}));
      close();
      input.focus();
    }

    input.addEventListener("click", function () { if (box.hidden) open(false); });
    input.addEventListener("input", function () {
      var day = read(input.value);
      if (day && !box.hidden) move(day);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") { e.preventDefault(); open(true); }
      else if (e.key === "Escape" && !box.hidden) { e.preventDefault(); close(); }
      else if (e.key === "Enter") { e.preventDefault(); close(); }  // confirms the typed day, never sends the form
      else if (e.key === "Tab") close();
    });
    box.addEventListener("keydown", function (e) {
      var steps = {ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7};
      if (e.key in steps) move(add(shown, steps[e.key]));
      else if (e.key === "PageUp") move(addMonths(shown, -1));
      else if (e.key === "PageDown") move(addMonths(shown, 1));
      else if (e.key === "Home") move(add(shown, -((shown.getDay() + 6) % 7)));
      else if (e.key === "End") move(add(shown, 6 - ((shown.getDay() + 6) % 7)));
      else if (e.key === "Escape") { close(); input.focus(); }
      else if ((e.key === "Enter" || e.key === " ") && e.target.classList.contains("day-picker-day")) pick(shown);
      else return;
      e.preventDefault();
    });
    document.addEventListener("mousedown", function (e) {
      if (e.target !== input && !box.contains(e.target)) close();
    });
  }

  document.querySelectorAll("input.day-picker").forEach(attach);
})();
