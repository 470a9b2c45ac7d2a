// The comparison view: countries as rows, the Table 1 fields and state-of-play criteria the
// analyst picks as columns, each cell a link to its cited span in the document view; sorting,
// filters, downloads and the chart. The whole state is in the URL (shareable):
//   ?view=compare&cols=policy_type,continuity&countries=Morocco,Valdoria
//     &where=continuity>=2&where=policy_type~dedicated&sort=continuity&order=desc
// The data is one request, GET /v1/profiles/export?format=json (every column, every country).
"use strict";

(() => {
  const page = window.policyqaPage;
  const DEFAULT_COLUMNS = ["policy_type", "instruments", "scope", "continuity"];
  const OPERATORS = { "=": "=", ">=": "≥", "<=": "≤", "~": "contains" };
  const WHERE = /^([a-z_]+)(>=|<=|=|~)(.*)$/s;

  const el = (id) => document.getElementById(id);
  const view = el("compare-view");
  const columnChecks = el("compare-columns");
  const countryChecks = el("compare-countries");
  const filterForm = el("filter-form");
  const filterColumn = el("filter-column");
  const filterOp = el("filter-op");
  const filterLevel = el("filter-level");
  const filterText = el("filter-text");
  const filterList = el("filters");
  const status = el("compare-status");
  const head = el("compare-head");
  const body = el("compare-body");
  // the chart's <img> is made when the comparison is first drawn (the search view has no image)
  const chart = document.createElement("img");
  chart.id = "chart";
  chart.width = 1200;
  chart.height = 720;
  chart.alt = "";

  let data = null; // promise of {columns, rows}
  let shownKey = null; // the state on screen, so that closing a document does not redraw it

  function load() {
    if (!data) {
      data = page.api("/v1/profiles/export?format=json");
      data.catch(() => (data = null));
    }
    return data;
  }

  // --- the state in the URL --------------------------------------------------------------------

  const list = (value) => (value || "").split(",").map((s) => s.trim()).filter(Boolean);

  function readState(columns) {
    const params = new URLSearchParams(window.location.search);
    const known = new Map(columns.map((c) => [c.key, c]));
    const cols = params.has("cols") ? list(params.get("cols")) : DEFAULT_COLUMNS;
    const filters = [];
    for (const text of params.getAll("where")) {
      const match = WHERE.exec(text);
      if (match && known.has(match[1])) filters.push({ key: match[1], op: match[2], value: match[3] });
    }
    const sort = params.get("sort") || "country";
    return {
      cols: cols.filter((key) => known.has(key)),
      countries: params.has("countries") ? list(params.get("countries")) : null, // null: all
      filters,
      sort: sort === "country" || known.has(sort) ? sort : "country",
      desc: params.get("order") === "desc",
    };
  }

  function writeState(state) {
    const params = new URLSearchParams(window.location.search);
    for (const name of ["cols", "countries", "where", "sort", "order", "doc", "start", "end"]) {
      params.delete(name);
    }
    params.set("view", "compare");
    params.set("cols", state.cols.join(","));
    if (state.countries) params.set("countries", state.countries.join(","));
    for (const f of state.filters) params.append("where", `${f.key}${f.op}${f.value}`);
    if (state.sort !== "country") params.set("sort", state.sort);
    if (state.desc) params.set("order", "desc");
    history.replaceState(null, "", `/?${params}`);
    render();
  }

  function stateKey() {
    const params = new URLSearchParams(window.location.search);
    for (const name of ["doc", "start", "end"]) params.delete(name);
    return params.toString();
  }

  // --- rows: filter and sort -----------------------------------------------------------------

  function matches(row, filter, column) {
    const cell = row.cells[filter.key];
    if (!cell) return false;
    if (column.kind === "criterion" && filter.op !== "~") {
      const level = Number(filter.value);
      if (filter.op === ">=") return cell.level >= level;
      if (filter.op === "<=") return cell.level <= level;
      return cell.level === level;
    }
    return cell.value.toLowerCase().includes(filter.value.toLowerCase());
  }

  function visibleRows(all, state, byKey) {
    const wanted = state.countries && new Set(state.countries.map((c) => c.toLowerCase()));
    const rows = all.filter(
      (row) =>
        (!wanted || wanted.has(row.country.toLowerCase())) &&
        state.filters.every((f) => matches(row, f, byKey.get(f.key)))
    );
    const sortValue = (row) => {
      if (state.sort === "country") return row.country;
      const cell = row.cells[state.sort];
      if (!cell) return null;
      return cell.level !== null ? cell.level : cell.value;
    };
    rows.sort((a, b) => {
      const x = sortValue(a);
      const y = sortValue(b);
      if (x === y) return a.country.localeCompare(b.country);
      if (x === null) return 1; // a missing value sorts last either way
      if (y === null) return -1;
      const order = typeof x === "number" ? x - y : String(x).localeCompare(String(y));
      return state.desc ? -order : order;
    });
    return rows;
  }

  // --- drawing ---------------------------------------------------------------------------------

  function checkbox(value, label, checked, onChange) {
    const wrap = page.node("label", "check");
    const input = document.createElement("input");
    input.type = "checkbox";
    input.value = value;
    input.checked = checked;
    input.addEventListener("change", onChange);
    wrap.append(input, ` ${label}`);
    return wrap;
  }

  function drawChoices(columns, rows, state) {
    const legendCols = columnChecks.querySelector("legend");
    columnChecks.replaceChildren(legendCols);
    for (const column of columns) {
      columnChecks.append(
        checkbox(column.key, column.label, state.cols.includes(column.key), () => {
          const chosen = [...columnChecks.querySelectorAll("input:checked")].map((i) => i.value);
          writeState({ ...readState(columns), cols: chosen });
        })
      );
    }
    const legendCountries = countryChecks.querySelector("legend");
    countryChecks.replaceChildren(legendCountries);
    const wanted = state.countries && new Set(state.countries.map((c) => c.toLowerCase()));
    for (const row of rows) {
      const label = row.synthetic ? `${row.country} (synthetic)` : row.country;
      countryChecks.append(
        checkbox(row.country, label, !wanted || wanted.has(row.country.toLowerCase()), () => {
          const chosen = [...countryChecks.querySelectorAll("input:checked")].map((i) => i.value);
          const all = chosen.length === rows.length;
          writeState({ ...readState(columns), countries: all ? null : chosen });
        })
      );
    }
  }

  function drawFilterForm(columns) {
    if (filterColumn.options.length) return;
    for (const column of columns) filterColumn.append(new Option(column.label, column.key));
    filterColumn.addEventListener("change", () => updateFilterForm(columns));
    updateFilterForm(columns);
  }

  function updateFilterForm(columns) {
    const column = columns.find((c) => c.key === filterColumn.value);
    const graded = column.kind === "criterion";
    filterOp.replaceChildren(
      ...(graded ? ["=", ">=", "<="] : ["~"]).map((op) => new Option(OPERATORS[op], op))
    );
    filterLevel.replaceChildren(
      ...column.options.map((option, level) => new Option(`level ${level}: ${option}`, String(level)))
    );
    filterLevel.hidden = !graded;
    filterText.hidden = graded;
  }

  function describe(filter, column) {
    if (column.kind === "criterion" && filter.op !== "~") {
      const option = column.options[Number(filter.value)] || filter.value;
      return `${column.label} ${OPERATORS[filter.op]} level ${filter.value} (${option})`;
    }
    return `${column.label} contains “${filter.value}”`;
  }

  function drawFilters(columns, state, byKey) {
    filterList.replaceChildren();
    state.filters.forEach((filter, index) => {
      const item = page.node("li", "filter-chip", describe(filter, byKey.get(filter.key)));
      const remove = page.node("button", "chip-remove", "×");
      remove.type = "button";
      remove.setAttribute("aria-label", `Remove the filter ${describe(filter, byKey.get(filter.key))}`);
      remove.addEventListener("click", () => {
        const next = readState(columns);
        next.filters.splice(index, 1);
        writeState(next);
        filterColumn.focus();
      });
      item.append(" ", remove);
      filterList.append(item);
    });
  }

  function drawTable(columns, rows, state, byKey) {
    const chosen = state.cols.map((key) => byKey.get(key));
    head.replaceChildren();
    for (const column of [{ key: "country", label: "Country" }, ...chosen]) {
      const th = page.node("th");
      th.scope = "col";
      const sorted = state.sort === column.key;
      if (sorted) th.setAttribute("aria-sort", state.desc ? "descending" : "ascending");
      const button = page.node("button", "sort", `${column.label}${sorted ? (state.desc ? " ▼" : " ▲") : ""}`);
      button.type = "button";
      button.dataset.key = column.key;
      button.addEventListener("click", () => {
        const next = readState(columns);
        writeState({ ...next, sort: column.key, desc: next.sort === column.key && !next.desc });
      });
      th.append(button);
      head.append(th);
    }
    body.replaceChildren();
    for (const row of rows) {
      const tr = page.node("tr");
      tr.dataset.country = row.country;
      const first = page.node("th");
      first.scope = "row";
      first.append(page.docLink({ doc_id: row.doc_id, start: null, end: null }, row.country));
      const details = [row.year, row.synthetic ? "synthetic" : ""].filter(Boolean).join(" · ");
      if (details) first.append(page.node("span", "row-meta", details));
      tr.append(first);
      for (const column of chosen) {
        const td = page.node("td");
        td.dataset.key = column.key;
        const cell = row.cells[column.key];
        if (!cell) {
          td.append(page.node("span", "missing", "—"));
        } else {
          const label = cell.level !== null ? `${cell.value} (level ${cell.level})` : cell.value;
          if (cell.start === null) td.append(page.node("span", "uncited", label));
          else td.append(page.docLink({ doc_id: row.doc_id, start: cell.start, end: cell.end }, label));
          if (cell.level !== null) td.classList.add(`level-${cell.level}`);
        }
        tr.append(td);
      }
      body.append(tr);
    }
  }

  function drawDownloads(rows, state, total) {
    const query = new URLSearchParams({ columns: state.cols.join(",") });
    const some = rows.length > 0;
    if (rows.length < total) query.set("countries", rows.map((r) => r.country).join(","));
    for (const format of ["csv", "xlsx", "json"]) {
      const link = el(`export-${format}`);
      link.toggleAttribute("aria-disabled", !some);
      if (some) link.href = `/v1/profiles/export?format=${format}&${query}`;
      else link.removeAttribute("href");
    }
    const chartQuery = rows.length < total && some ? `?countries=${encodeURIComponent(rows.map((r) => r.country).join(","))}` : "";
    for (const format of ["png", "svg"]) {
      const link = el(`chart-${format}`);
      link.href = `/v1/profiles/state-of-play.${format}${chartQuery}`;
    }
    if (!chart.isConnected) el("chart-box").append(chart);
    chart.hidden = !some;
    if (some && chart.getAttribute("src") !== `/v1/profiles/state-of-play.svg${chartQuery}`) {
      chart.src = `/v1/profiles/state-of-play.svg${chartQuery}`;
    }
  }

  function chartText(columns, rows) {
    const parts = columns
      .filter((c) => c.kind === "criterion")
      .map((c) => {
        const counts = [0, 0, 0, 0];
        for (const row of rows) if (row.cells[c.key]) counts[row.cells[c.key].level] += 1;
        return `${c.label}: ${counts.map((n, level) => `level ${level} ${n}`).join(", ")}`;
      });
    return `State of play of ${rows.length} countries. ${parts.join("; ")}.`;
  }

  async function render() {
    if (view.hidden) return;
    const key = stateKey();
    if (key === shownKey) return;
    shownKey = key;
    status.classList.remove("error");
    let body_;
    try {
      body_ = await load();
    } catch (error) {
      shownKey = null;
      status.textContent = `Cannot load the profiles: ${error.message}`;
      status.classList.add("error");
      return;
    }
    if (key !== stateKey()) return; // the state changed while loading
    const columns = body_.columns;
    const byKey = new Map(columns.map((c) => [c.key, c]));
    const state = readState(columns);
    const rows = visibleRows(body_.rows, state, byKey);
    drawChoices(columns, body_.rows, state);
    drawFilterForm(columns);
    drawFilters(columns, state, byKey);
    drawTable(columns, rows, state, byKey);
    drawDownloads(rows, state, body_.rows.length);
    chart.alt = chartText(columns, rows);
    status.textContent = `${rows.length} of ${body_.rows.length} countries` +
      (state.filters.length ? ` · ${state.filters.length} filter${state.filters.length === 1 ? "" : "s"}` : "");
  }

  filterForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const { columns } = await load();
    const column = columns.find((c) => c.key === filterColumn.value);
    const graded = column.kind === "criterion";
    const value = graded ? filterLevel.value : filterText.value.trim();
    if (!value) {
      filterText.focus();
      return;
    }
    const state = readState(columns);
    state.filters.push({ key: column.key, op: filterOp.value, value });
    filterText.value = "";
    writeState(state);
  });

  window.addEventListener("policyqa:view", () => {
    shownKey = view.hidden ? null : shownKey;
    render();
  });
  window.policyqaCompare = {
    reload: () => {
      data = null;
      shownKey = null;
      render();
    },
  };
  render();
})();
