// WriteSweepReport: one self-contained page (inline SVG, a few lines of
// inline JS to sort the table; nothing fetched), written atomically.
#include <cstdio>
#include <map>

#include "core/file_io.h"
#include "detlite/evaluate.h"
#include "detlite/sweep.h"
#include "sweep/report_plot.h"

namespace detlite {
namespace {

using sweep::HtmlEscape;

std::string Fmt(const char* f, double v) {
  char buf[48];
  std::snprintf(buf, sizeof(buf), f, v);
  return buf;
}

std::string ColorOf(const std::string& quantization) {
  static const std::map<std::string, std::string> kColors = {
      {"float32", "#1f77b4"}, {"float16", "#2ca02c"}, {"dynamic", "#ff7f0e"},
      {"int8", "#9467bd"}, {"int16x8", "#8c564b"}};
  const std::string mode = quantization.substr(0, quantization.find(' '));
  auto it = kColors.find(mode);
  return it == kColors.end() ? "#7f7f7f" : it->second;
}

// A numeric cell sortable by its value; "-" (sorted last) when unknown.
std::string Cell(double v, const char* f, bool known = true) {
  if (!known || v < 0) return "<td data-v='-1e300'>&ndash;</td>";
  return "<td data-v='" + Fmt("%.9g", v) + "'>" + Fmt(f, v) + "</td>";
}

constexpr char kHead[] =
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>detlite sweep</title><style>"
    "body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse;"
    "margin:8px 0 20px;font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px;"
    "text-align:right}th{background:#f3f3f3;cursor:pointer}td.l,th.l{text-align:left}"
    "tr.dom td{color:#999}tr.failed td{color:#b00}code{font-size:12px}"
    "svg{display:inline-block;margin:4px;border:1px solid #eee}</style></head><body>";

constexpr char kSortScript[] =
    "<script>document.querySelectorAll('th').forEach(function(th,i){th.onclick=function(){"
    "var tb=th.closest('table').tBodies[0],rows=Array.from(tb.rows),up=th.dataset.up!=='1';"
    "th.dataset.up=up?'1':'0';rows.sort(function(a,b){var x=a.cells[i].dataset.v,"
    "y=b.cells[i].dataset.v,c;if(x!==undefined&&y!==undefined)c=parseFloat(x)-parseFloat(y);"
    "else c=a.cells[i].textContent.localeCompare(b.cells[i].textContent);return up?c:-c;});"
    "rows.forEach(function(r){tb.appendChild(r);});};});</script>";

// " <code>id</code> (model, 320x320, int8 (mse))" for the Pareto lists; the
// input size is left out for "native".
std::string FrontEntry(const TrialResult& r) {
  std::string what = r.model_name;
  if (r.input_size != "native") what += ", " + r.input_size;
  return " <code>" + r.id + "</code> (" + HtmlEscape(what + ", " + r.quantization) + ")";
}

}  // namespace

Status WriteSweepReport(const std::vector<TrialResult>& results, const std::string& path) {
  std::vector<const TrialResult*> ok;
  int failed = 0;
  std::string metric = results.empty() ? "AP" : results[0].metric;
  for (const TrialResult& r : results) {
    if (r.status == "ok" && r.Metric() >= 0) ok.push_back(&r);
    failed += r.status == "ok" ? 0 : 1;
  }
  std::vector<sweep::PlotPoint> by_latency, by_size;
  for (const TrialResult* r : ok) {
    const std::string label = r->id + ": " + r->model_name + ", " + r->quantization + ", " +
                              metric + " " + Fmt("%.1f", r->Metric() * 100) + ", " +
                              Fmt("%.2f ms", r->latency_ms) + ", " +
                              Fmt("%.3f MB", r->file_bytes / 1e6);
    const std::string tag = r->model_name + " " + r->quantization.substr(0, r->quantization.find(' '));
    by_latency.push_back({r->latency_ms, r->Metric() * 100, ColorOf(r->quantization), label, tag});
    by_size.push_back({r->file_bytes / 1e6, r->Metric() * 100, ColorOf(r->quantization), label, tag});
  }
  std::vector<ParetoPoint> pl, ps;
  for (const auto& p : by_latency) pl.push_back({p.x, p.y});
  for (const auto& p : by_size) ps.push_back({p.x, p.y});
  std::vector<bool> front_l(ok.size()), front_s(ok.size());
  for (size_t i : ParetoFront(pl)) front_l[i] = true;
  for (size_t i : ParetoFront(ps)) front_s[i] = true;

  std::string h = kHead;
  h += "<h1>detlite sweep</h1><p>" + std::to_string(results.size()) + " trials, " +
       std::to_string(ok.size()) + " measured, " + std::to_string(failed) + " failed; plan hash <code>" +
       HtmlEscape(results.empty() ? "" : results[0].plan_hash) + "</code>; y axis: " +
       HtmlEscape(metric) + " (percent). Red line: the Pareto front; faded points are dominated "
       "(another trial is at least as accurate and at least as fast or small).</p>";
  h += sweep::ScatterSvg(metric + " vs latency", "detlite latency, median ms", metric, by_latency);
  h += sweep::ScatterSvg(metric + " vs file size", "file size, MB", metric, by_size);
  h += "<p>Pareto-optimal, " + HtmlEscape(metric) + " vs latency:";
  for (size_t i = 0; i < ok.size(); ++i) {
    if (front_l[i]) h += FrontEntry(*ok[i]);
  }
  h += "<br>Pareto-optimal, " + HtmlEscape(metric) + " vs size:";
  for (size_t i = 0; i < ok.size(); ++i) {
    if (front_s[i]) h += FrontEntry(*ok[i]);
  }
  h += "</p><p>Click a column to sort. Commands run from the plan file's folder.</p><table><thead><tr>"
       "<th class='l'>trial</th><th class='l'>model</th><th class='l'>input</th>"
       "<th class='l'>quantization</th><th>front (latency/size)</th><th>MB</th>";
  for (size_t i = 0; i < 6; ++i) h += std::string("<th>") + CocoStatNames()[i] + "</th>";
  h += "<th>ms (detlite)</th><th>ms (TFLite)</th><th>convert s</th><th class='l'>command / error</th>"
       "</tr></thead><tbody>";
  for (const TrialResult& r : results) {
    size_t k = 0;
    while (k < ok.size() && ok[k] != &r) ++k;
    const bool measured = k < ok.size();
    const bool on_front = measured && (front_l[k] || front_s[k]);
    h += std::string("<tr class='") + (r.status != "ok" ? "failed" : on_front ? "" : "dom") + "'>";
    h += "<td class='l'><code>" + r.id + "</code></td><td class='l'>" + HtmlEscape(r.model_name) +
         "</td><td class='l'>" + HtmlEscape(r.input_size) + "</td><td class='l'>" +
         HtmlEscape(r.quantization) + "</td>";
    const int rank = measured ? (front_l[k] ? 2 : 0) + (front_s[k] ? 1 : 0) : -1;
    h += "<td data-v='" + std::to_string(rank) + "'>" +
         (measured ? std::string(front_l[k] ? "&#9733;" : "&middot;") + "/" + (front_s[k] ? "&#9733;" : "&middot;")
                   : "&ndash;") + "</td>";
    h += Cell(r.file_bytes / 1e6, "%.3f", r.status == "ok");
    for (size_t i = 0; i < 6; ++i) {
      h += Cell(i < r.coco.size() ? r.coco[i] * 100 : -1, "%.1f", r.status == "ok");
    }
    h += Cell(r.latency_ms, "%.2f", r.status == "ok");
    h += Cell(r.tflite_latency_ms.value_or(-1), "%.2f", r.tflite_latency_ms.has_value());
    h += Cell(r.convert_seconds, "%.1f", r.status == "ok");
    h += "<td class='l'><code>" +
         HtmlEscape(r.status == "ok" ? r.command : "failed: " + r.error + "\n" + r.command) +
         "</code></td></tr>";
  }
  h += "</tbody></table>";
  h += kSortScript;
  h += "</body></html>\n";
  return WriteFileAtomic(path, h);
}

}  // namespace detlite
