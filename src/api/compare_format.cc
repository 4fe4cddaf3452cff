// The compare report as JSON (nlohmann::json, which may throw only on
// invalid UTF-8 in names; caught here) and as one HTML page.
#include <cmath>
#include <cstdio>
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

std::string Fmt(const char* f, double v) {
  char b[64];
  std::snprintf(b, sizeof(b), f, v);
  return b;
}

}  // namespace

std::string CompareReportJson(const CompareReport& r) {
  try {
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
    return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  } catch (const std::exception& e) {
    return std::string("{\"error\": \"cannot encode the report\"}");
  }
}

std::string CompareReportHtml(const CompareReport& r, const std::string& title) {
  std::string h = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + Escape(title) +
                  "</title>\n<style>body{font-family:sans-serif}table{border-collapse:collapse}"
                  "td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
                  "td:first-child,td:nth-child(2){text-align:left}.bad{background:#fcc}"
                  ".out{font-weight:bold}</style></head><body>\n<h1>" + Escape(title) + "</h1>\n<p>" +
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

}  // namespace detlite
