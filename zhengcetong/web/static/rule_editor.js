// The structured rule editor of the staff console (审核后台): add condition rows, give each row the
// value field its fact needs (是/否, a list of codes, a date, a number with its unit), and switch the
// save to the JSON editor when staff open or type into it.
// Without this script the form works the same: it comes with a few blank rows and text fields.
(function () {
  "use strict";
  const LIST_OPS = ["in", "not_in", "contains_any"];
  const data = document.getElementById("fact-widgets");
  const widgets = data ? JSON.parse(data.textContent) : {};

  function valueField(row) {
    const fact = row.querySelector("[data-fact]");
    const op = row.querySelector("[data-op]");
    const holder = row.querySelector("[data-value]");
    const unit = row.querySelector("[data-unit]");
    if (!fact || !holder) return;
    const old = holder.querySelector("input, select");
    const name = old.name;
    const value = old.value;
    const w = widgets[fact.value];
    let field;
    if (w && (w.type === "bool" || w.type === "enum") && !LIST_OPS.includes(op.value)) {
      field = document.createElement("select");
      for (const [code, label] of w.choices) {
        const option = new Option(label, code, false, code === value);
        field.add(option);
      }
    } else {
      field = document.createElement("input");
      field.maxLength = 2000;
      if (w && w.type === "date") field.type = "date";
      if (w && w.type === "number") field.inputMode = "decimal";
      if (LIST_OPS.includes(op.value)) field.placeholder = "多个值用顿号分隔";
      field.value = value;
    }
    field.name = name;
    old.replaceWith(field);
    if (unit) unit.textContent = w ? w.unit : "";
  }

  // the comparisons a fact allows; the page may have left some out, so every row keeps the full list
  const allOps = (() => {
    const first = document.querySelector("#cond-row-template");
    const select = first && first.content.querySelector("[data-op]");
    return select ? [...select.options].map((o) => [o.value, o.text]) : [];
  })();

  function operators(row) {
    const fact = row.querySelector("[data-fact]");
    const op = row.querySelector("[data-op]");
    const w = widgets[fact.value];
    const current = op.value;
    const allowed = allOps.filter(([value]) => !w || w.ops.includes(value));
    op.replaceChildren(...allowed.map(([value, text]) => new Option(text, value, false, value === current)));
  }

  function bindRow(row) {
    const fact = row.querySelector("[data-fact]");
    const op = row.querySelector("[data-op]");
    if (fact) fact.addEventListener("change", () => { operators(row); valueField(row); });
    if (op) op.addEventListener("change", () => valueField(row));
  }

  for (const form of document.querySelectorAll("[data-rule-editor]")) {
    const rows = form.querySelector("[data-rows]");
    const template = document.getElementById("cond-row-template");
    const add = form.querySelector("[data-add-row]");
    rows.querySelectorAll("[data-row]").forEach(bindRow);
    if (add && template) {
      add.hidden = false;
      add.addEventListener("click", () => {
        const used = [...form.querySelectorAll("[name^='cond-'][name$='-fact'], [name^='cond-'][name$='-kept']")]
          .map((f) => parseInt(f.name.split("-")[1], 10));
        const next = used.length ? Math.max(...used) + 1 : 0;
        const html = template.innerHTML.replaceAll("__i__", String(next)).replaceAll("__item__", form.dataset.item);
        const holder = document.createElement("div");
        holder.innerHTML = html;
        const row = holder.firstElementChild;
        rows.append(row);
        bindRow(row);
        row.querySelector("[data-fact]").focus();
      });
    }
    const expert = form.querySelector("[data-expert]");
    const radio = form.querySelector("[data-expert-radio]");
    const structured = form.querySelector("input[name='editor'][value='structured']");
    if (expert && radio) {
      expert.addEventListener("toggle", () => {
        if (expert.open) radio.checked = true;
        else if (structured) structured.checked = true;
      });
      expert.querySelectorAll("textarea, input").forEach((f) => f.addEventListener("input", () => { radio.checked = true; }));
    }
  }
})();
