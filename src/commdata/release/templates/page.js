"use strict";
const data = JSON.parse(document.getElementById("data").textContent);
const el = (tag, attributes = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  for (const child of children) node.append(child);
  return node;
};
document.getElementById("title").textContent = `${data.package.title} — ${data.package.version}`;
document.getElementById("description").textContent = data.package.description || "";
const summary = document.getElementById("summary");
const counts = {meetings: data.meetings.length,
  achievements: data.records.filter(r => r.part === "achievements").length,
  targets: data.records.filter(r => r.part === "targets").length,
  indicators: Object.keys(data.indicators).length};
for (const [name, count] of Object.entries(counts)) summary.append(el("span", {}, `${count} ${name}`));
summary.append(el("span", {}, `created ${data.package.created}`));
summary.append(el("span", {}, `license ${data.licenses.map(l => l.name).join(", ")}`));

const body = document.querySelector("#records tbody");
const rows = data.records.map(record => {
  const figure = record.figure
    ? el("button", {"class": "figure", "type": "button", "data-id": record.id}, record.figure)
    : el("span", {"class": "muted"}, record.kind);
  const row = el("tr", {"data-id": record.id},
    el("td", {}, record.id), el("td", {}, record.part),
    el("td", {}, `${record.indicator} `, el("span", {"class": "muted"}, record.indicator_en)),
    el("td", {}, figure), el("td", {}, record.bound || ""), el("td", {}, String(record.period)));
  row.dataset.search = [record.id, record.indicator, record.indicator_en, record.quote, record.figure || "",
                        record.indicator_code || ""].join(" ").toLowerCase();
  body.append(row);
  return row;
});
const count = document.getElementById("count");
const filter = () => {
  const query = document.getElementById("search").value.trim().toLowerCase();
  let shown = 0;
  for (const row of rows) {
    const visible = !query || row.dataset.search.includes(query);
    row.hidden = !visible;
    shown += visible ? 1 : 0;
  }
  count.textContent = `${shown} of ${rows.length} records`;
};
document.getElementById("search").addEventListener("input", filter);
filter();

const byId = Object.fromEntries(data.records.map(record => [record.id, record]));
const showSource = id => {
  const record = byId[id];
  const source = data.sources[record.source_id];
  const text = source.text;
  const box = document.getElementById("source");
  const mark = el("mark", {"id": "highlight"});
  const quote = text.slice(record.quote_start, record.quote_end);
  if (record.figure_start !== null && record.figure_start !== undefined) {
    const at = record.figure_start - record.quote_start;
    mark.append(quote.slice(0, at), el("strong", {}, quote.slice(at, at + record.figure.length)),
                quote.slice(at + record.figure.length));
  } else {
    mark.append(quote);
  }
  box.replaceChildren(text.slice(0, record.quote_start), mark, text.slice(record.quote_end));
  document.getElementById("source-title").textContent = `${source.title} — ${record.id}`;
  mark.scrollIntoView({block: "center"});
};
body.addEventListener("click", event => {
  const button = event.target.closest("button.figure");
  if (button) showSource(button.dataset.id);
});

const assessments = document.querySelector("#assessments tbody");
for (const assessment of data.assessments) {
  const target = byId[assessment.target_id], outcome = byId[assessment.outcome_id];
  assessments.append(el("tr", {"data-target": assessment.target_id},
    el("td", {}, assessment.target_id), el("td", {}, target ? target.indicator : ""),
    el("td", {}, target && target.figure ? target.figure : ""), el("td", {}, assessment.target_bound || ""),
    el("td", {}, outcome && outcome.figure ? outcome.figure : ""),
    el("td", {"title": assessment.reason}, assessment.verdict + (assessment.curated ? " (set by hand)" : ""))));
}
document.getElementById("no-assessments").hidden = data.assessments.length > 0;

const SVG = "http://www.w3.org/2000/svg";
const svg = (tag, attributes = {}) => {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  return node;
};
const charts = document.getElementById("charts");
const byIndicator = {};
for (const record of data.records) {
  if (record.indicator_code && record.value !== null) (byIndicator[record.indicator_code] ||= []).push(record);
}
for (const [code, points] of Object.entries(byIndicator).sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1))) {
  const width = 260, height = 140, pad = 28;
  const periods = [...new Set(points.map(p => p.period))].sort();
  const values = points.map(p => Number(p.value));
  const top = Math.max(...values) * 1.1 || 1;
  const x = period => pad + (periods.length === 1 ? (width - 2 * pad) / 2
                                                  : (width - 2 * pad) * periods.indexOf(period) / (periods.length - 1));
  const y = value => height - pad - (height - 2 * pad) * Number(value) / top;
  const chart = svg("svg", {"width": width, "height": height, "data-indicator": code, "role": "img"});
  chart.append(svg("line", {"x1": pad, "y1": height - pad, "x2": width - pad, "y2": height - pad, "stroke": "#999"}));
  for (const period of periods) {
    const label = svg("text", {"x": x(period), "y": height - 8, "text-anchor": "middle", "font-size": 11});
    label.textContent = period;
    chart.append(label);
  }
  for (const point of points) {
    const shape = point.part === "achievements"
      ? svg("circle", {"cx": x(point.period), "cy": y(point.value), "r": 5, "fill": "#2b7bb9", "class": "point"})
      : svg("rect", {"x": x(point.period) - 5, "y": y(point.value) - 5, "width": 10, "height": 10, "fill": "none",
                     "stroke": "#d9480f", "stroke-width": 2, "class": "point"});
    const tip = svg("title");
    tip.textContent = `${point.part === "achievements" ? "achieved" : "target"} ${point.period}: ${point.figure} (${point.bound})`;
    shape.append(tip);
    chart.append(shape);
  }
  const name = data.indicators[code] ? `${data.indicators[code].name} · ${data.indicators[code].name_en}` : code;
  charts.append(el("div", {"class": "chart"}, el("h3", {}, name), chart));
}
charts.before(el("p", {"class": "muted"}, "Circles: achievements. Squares: targets."));

const tables = document.getElementById("tables");
for (const table of data.tables) {
  const list = el("table", {}, ...table.fields.map(field =>
    el("tr", {}, el("td", {}, el("code", {}, field.name)), el("td", {}, field.type), el("td", {}, field.description))));
  tables.append(el("details", {}, el("summary", {}, `${table.name} — ${table.description}`), list));
}
