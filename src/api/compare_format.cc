// The compare report as JSON (nlohmann::json, which may throw only on
// invalid UTF-8 in names; caught here) and as one HTML page.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>

#include "detlite/compare.h"

namespace detlite {
namespace {

nlohmann::json Num(double v) {
  if (std::isfinite(v)) return v;
  return v > 0 ? "inf" : "-inf";
}

std::string Escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '<') o += "&lt;";
    else if (c == '>') o += "&gt;";
    else if (c == '&') o += "&amp;";
    else if (c == '"') o += "&quot;";
    else o += c;
  }
  return o;
}

// The page up to and including the <h1>; `css` adds to the shared table style.
std::string PageHead(const std::string& title, const std::string& css) {
  return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + Escape(title) +
         "</title>\n<style>body{font-family:sans-serif}table{border-collapse:collapse}"
         "td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
         "td:first-child,td:nth-child(2){text-align:left}.out{font-weight:bold}" + css +
         "</style></head><body>\n<h1>" + Escape(title) + "</h1>\n";
}

// JSON text; nlohmann::json may throw only on invalid UTF-8 in names.
std::string Dump(const std::function<nlohmann::json()>& build) {
  try {
    return build().dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  } catch (const std::exception& e) {
    return std::string("{\"error\": \"cannot encode the report\"}");
  }
}

std::string Fmt(const char* f, double v) {
  char b[64];
  std::snprintf(b, sizeof(b), f, v);
  return b;
}

nlohmann::json ToJson(const CompareReport& r) {
  nlohmann::json j;
  j["samples"] = r.samples;
  j["tensors"] = nlohmann::json::array();
  for (const auto& t : r.tensors) {
    j["tensors"].push_back({{"name", t.name}, {"producer", t.producer}, {"dtype", t.dtype},
                            {"is_output", t.is_output}, {"elements", t.elements},
                            {"float_min", Num(t.float_min)}, {"float_max", Num(t.float_max)},
                            {"max_abs_error", Num(t.max_abs_error)},
                            {"mean_abs_error", Num(t.mean_abs_error)}, {"rmse", Num(t.rmse)},
                            {"sqnr_db", Num(t.sqnr_db)}, {"scale", Num(t.scale)},
                            {"rmse_in_steps", Num(t.rmse_in_steps)}});
  }
  j["unmatched"] = r.unmatched;
  return j;
}

}  // namespace

std::string CompareReportJson(const CompareReport& r) {
  return Dump([&] { return ToJson(r); });
}

std::string CompareReportHtml(const CompareReport& r, const std::string& title) {
  std::string h = PageHead(title, ".bad{background:#fcc}") + "<p>" +
                  std::to_string(r.samples) + " samples; " + std::to_string(r.tensors.size()) +
                  " tensors matched. SQNR below 20 dB is highlighted.</p>\n<table><tr><th>tensor</th>"
                  "<th>op</th><th>dtype</th><th>float range</th><th>max |err|</th><th>RMSE</th>"
                  "<th>RMSE / scale</th><th>SQNR dB</th></tr>\n";
  for (const auto& t : r.tensors) {
    const bool bad = std::isfinite(t.sqnr_db) && t.sqnr_db < 20;
    h += std::string("<tr class=\"") + (bad ? "bad" : "") + (t.is_output ? " out" : "") + "\"><td>" +
         Escape(t.name) + "</td><td>" + Escape(t.producer) + "</td><td>" + t.dtype + "</td><td>[" +
         Fmt("%.3g", t.float_min) + ", " + Fmt("%.3g", t.float_max) + "]</td><td>" +
         Fmt("%.3g", t.max_abs_error) + "</td><td>" + Fmt("%.3g", t.rmse) + "</td><td>" +
         Fmt("%.2f", t.rmse_in_steps) + "</td><td>" + Fmt("%.1f", t.sqnr_db) + "</td></tr>\n";
  }
  h += "</table></body></html>\n";
  return h;
}

namespace {

// The median SQNR over all tensors.
double Median(const CompareReport& r) {
  std::vector<double> all;
  for (const auto& t : r.tensors) all.push_back(t.sqnr_db);
  std::sort(all.begin(), all.end());
  return all.empty() ? 0 : all[all.size() / 2];
}

std::string Join(const std::vector<std::string>& v) {
  std::string o;
  for (const auto& s : v) o += (o.empty() ? "" : ", ") + s;
  return o;
}

}  // namespace

std::string TechniqueReportJson(const TechniqueReport& r) {
  return Dump([&] {
    nlohmann::json j;
    j["heads"] = r.heads;
    if (r.evaluated) {
      j["float"] = {{"ap", r.float_ap}, {"ap50", r.float_ap50}, {"ap_large", r.float_ap_large}};
    }
    j["steps"] = nlohmann::json::array();
    for (const auto& s : r.steps) {
      nlohmann::json step = {{"label", s.label}, {"flags", s.flags},
                             {"convert_seconds", s.convert_seconds},
                             {"head_sqnr_db", Num(s.head_sqnr_db)},
                             {"median_tensor_sqnr_db", Num(Median(s.compare))},
                             {"compare", ToJson(s.compare)}};
      if (s.evaluated) {
        step["ap"] = s.ap;
        step["ap50"] = s.ap50;
        step["ap_large"] = s.ap_large;
      }
      j["steps"].push_back(step);
    }
    return j;
  });
}

std::string TechniqueReportHtml(const TechniqueReport& r, const std::string& title) {
  std::string h = PageHead(title, ".up{background:#cfc}.down{background:#fcc}") +
                  "<h2>What each step bought</h2>\n<table><tr><th>step</th>"
                  "<th>flags</th><th>AP</th><th>AP50</th><th>APl</th><th>lowest head SQNR dB</th>"
                  "<th>median tensor SQNR dB</th><th>convert s</th></tr>\n";
  auto ap = [&](bool ok, double v) { return ok ? Fmt("%.1f", 100 * v) : std::string("-"); };
  if (r.evaluated) {
    h += "<tr><td>float</td><td></td><td>" + ap(true, r.float_ap) + "</td><td>" +
         ap(true, r.float_ap50) + "</td><td>" + ap(true, r.float_ap_large) +
         "</td><td></td><td></td><td></td></tr>\n";
  }
  for (const auto& s : r.steps) {
    h += "<tr><td>" + Escape(s.label) + "</td><td><code>" + Escape(s.flags) + "</code></td><td>" +
         ap(s.evaluated, s.ap) + "</td><td>" + ap(s.evaluated, s.ap50) + "</td><td>" +
         ap(s.evaluated, s.ap_large) + "</td><td>" + Fmt("%.1f", s.head_sqnr_db) + "</td><td>" +
         Fmt("%.1f", Median(s.compare)) + "</td><td>" + Fmt("%.1f", s.convert_seconds) + "</td></tr>\n";
  }
  h += "</table>\n<h2>SQNR (dB) of every tensor, step by step</h2>\n<p>Green: the step raised "
       "the tensor's SQNR by at least 0.5 dB over the step before; red: lowered it. Outputs in "
       "bold; the heads are " + Escape(Join(r.heads)) + ".</p>\n<table><tr><th>tensor</th><th>op</th>";
  for (const auto& s : r.steps) h += "<th>" + Escape(s.label) + "</th>";
  h += "</tr>\n";
  if (!r.steps.empty()) {
    std::vector<std::map<std::string, double>> by_step;
    for (const auto& s : r.steps) {
      auto& m = by_step.emplace_back();
      for (const auto& t : s.compare.tensors) m[t.name] = t.sqnr_db;
    }
    for (const auto& t : r.steps.front().compare.tensors) {
      h += std::string("<tr") + (t.is_output ? " class=\"out\"" : "") + "><td>" + Escape(t.name) +
           "</td><td>" + Escape(t.producer) + "</td>";
      double before = t.sqnr_db;
      for (size_t i = 0; i < by_step.size(); ++i) {
        auto it = by_step[i].find(t.name);
        if (it == by_step[i].end()) {
          h += "<td>-</td>";
          continue;
        }
        const double v = it->second, d = v - before;
        const char* cls = i == 0 || !std::isfinite(d) ? "" : d >= 0.5 ? "up" : d <= -0.5 ? "down" : "";
        h += std::string("<td class=\"") + cls + "\">" + Fmt("%.1f", v) + "</td>";
        before = v;
      }
      h += "</tr>\n";
    }
  }
  h += "</table></body></html>\n";
  return h;
}

}  // namespace detlite
