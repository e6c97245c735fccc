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
// One chart per indicator and measure (a cumulative total never shares axes with a yearly figure),
// one series per place (a colour each, named in the legend), labelled axes, and every point's figure
// written beside it, so that a rise never reads as a fall and two cities never read as one series.
const charts = document.getElementById("charts");
const PALETTE = ["#2b7bb9", "#d9480f", "#2f9e44", "#862e9c", "#e8590c", "#1098ad", "#5c7cfa", "#c2255c"];
const places = [...new Set(data.records.map(record => record.place))].sort();
const colour = place => PALETTE[places.indexOf(place) % PALETTE.length];
const groups = {};
for (const record of data.records) {
  if (!record.indicator_code || record.value === null) continue;
  const key = `${record.indicator_code}|${record.cumulative ? "cumulative" : "yearly"}`;
  (groups[key] ||= []).push(record);
}
const year = record => Number(record.period_end ?? record.period);
const number = value => Number(value);
const shortValue = value => {
  const size = Math.abs(value);
  for (const [scale, name] of [[1e12, "万亿"], [1e8, "亿"], [1e4, "万"]]) {
    if (size >= scale) return `${+(value / scale).toPrecision(3)}${name}`;
  }
  return `${+value.toPrecision(3)}`;
};
for (const [key, points] of Object.entries(groups).sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1))) {
  const [code, measure] = key.split("|");
  const width = 300, height = 190, left = 52, right = 16, top = 14, bottom = 44;
  const years = [...new Set(points.map(year))].sort((a, b) => a - b);
  const values = points.map(p => number(p.value));
  const high = Math.max(0, ...values), low = Math.min(0, ...values);
  const span = (high - low) || 1;
  const x = y => left + (years.length === 1 ? (width - left - right) / 2
                                           : (width - left - right) * years.indexOf(y) / (years.length - 1));
  const y = value => top + (height - top - bottom) * (high - number(value)) / span;
  const unit = points[0].unit || "";
  const chart = svg("svg", {"width": width, "height": height, "data-indicator": code, "data-measure": measure,
                            "role": "img", "aria-label": `${code} (${measure})`});
  chart.append(svg("line", {"class": "axis", "x1": left, "y1": y(0), "x2": width - right, "y2": y(0), "stroke": "#999"}));
  chart.append(svg("line", {"class": "axis", "x1": left, "y1": top, "x2": left, "y2": height - bottom, "stroke": "#999"}));
  const text = (attributes, content) => {
    const node = svg("text", {"font-size": 10, ...attributes});
    node.textContent = content;
    chart.append(node);
    return node;
  };
  for (const tick of [...new Set([low, 0, high])]) {
    text({"class": "tick", "x": left - 4, "y": y(tick) + 3, "text-anchor": "end"}, shortValue(tick));
  }
  for (const y_ of years) text({"class": "tick", "x": x(y_), "y": height - bottom + 14, "text-anchor": "middle"}, String(y_));
  text({"class": "axis-label", "x": (left + width - right) / 2, "y": height - 8, "text-anchor": "middle"}, "year");
  text({"class": "axis-label", "x": 12, "y": (top + height - bottom) / 2, "text-anchor": "middle",
        "transform": `rotate(-90 12 ${(top + height - bottom) / 2})`}, unit ? `value (${unit})` : "value");
  const series = {};
  for (const point of points) (series[point.place] ||= []).push(point);
  for (const [place, members] of Object.entries(series).sort()) {
    const group = svg("g", {"class": "series", "data-place": place});
    const achieved = members.filter(p => p.part === "achievements").sort((a, b) => year(a) - year(b));
    if (achieved.length > 1) {
      group.append(svg("polyline", {"fill": "none", "stroke": colour(place), "stroke-width": 1.5,
                                    "points": achieved.map(p => `${x(year(p))},${y(p.value)}`).join(" ")}));
    }
    for (const point of members) {
      const cx = x(year(point)), cy = y(point.value);
      const shape = point.part === "achievements"
        ? svg("circle", {"cx": cx, "cy": cy, "r": 4, "fill": colour(place), "class": "point"})
        : svg("rect", {"x": cx - 4, "y": cy - 4, "width": 8, "height": 8, "fill": "#fff", "stroke": colour(place),
                       "stroke-width": 2, "class": "point"});
      const tip = svg("title");
      tip.textContent = `${place}: ${point.part === "achievements" ? "achieved" : "target"} ${year(point)}: ${point.figure}` +
                        (point.bound && point.bound !== "exact" ? ` (${point.bound})` : "");
      shape.append(tip);
      group.append(shape);
      const nearRight = cx > width - right - 60;  // write it left of the point there, inside the chart
      const label = svg("text", {"class": "value", "x": nearRight ? cx - 6 : cx + 6, "y": cy - 6, "font-size": 10,
                                 "text-anchor": nearRight ? "end" : "start", "fill": colour(place)});
      label.textContent = point.figure;
      group.append(label);
    }
    chart.append(group);
  }
  const indicator = data.indicators[code];
  const name = indicator ? `${indicator.name} · ${indicator.name_en}` : code;
  const legend = el("p", {"class": "legend"}, ...Object.keys(series).sort().map(place => {
    const entry = el("span", {"data-place": place}, `● ${place} `);
    entry.style.color = colour(place);  // a style property, not a style attribute: the page's policy allows no inline styles
    return entry;
  }));
  charts.append(el("div", {"class": "chart"}, el("h3", {}, `${name}${measure === "cumulative" ? " (cumulative)" : ""}`),
                   chart, legend));
}
charts.before(el("p", {"class": "muted"}, "One colour per place. Circles: achievements. Squares: targets. " +
                 "Cumulative totals have charts of their own."));

const tables = document.getElementById("tables");
for (const table of data.tables) {
  const list = el("table", {}, ...table.fields.map(field =>
    el("tr", {}, el("td", {}, el("code", {}, field.name)), el("td", {}, field.type), el("td", {}, field.description))));
  tables.append(el("details", {}, el("summary", {}, `${table.name} — ${table.description}`), list));
}
