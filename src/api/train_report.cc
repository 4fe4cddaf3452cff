// detlite::WriteTrainReport: one HTML page, two inline SVG line plots (loss
// per step; AP per evaluation), no script.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "detlite/inputs.h"
#include "detlite/train.h"

namespace detlite {
namespace {

constexpr double kW = 640, kH = 300, kLeft = 60, kRight = 120, kTop = 30, kBottom = 40;

std::string F(const char* format, double v) {
  char buf[48];
  std::snprintf(buf, sizeof(buf), format, v);
  return buf;
}

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '\'' || c == '"') out += "&#39;";
    else out += c;
  }
  return out;
}

struct Series {
  std::string name, color;
  std::vector<std::pair<double, double>> points;  // (step, value)
  bool dots = false;
};

// Evenly spaced "round" ticks over [lo, hi].
std::vector<double> Ticks(double lo, double hi) {
  const double raw = (hi - lo) / 5;
  const double p = std::pow(10.0, std::floor(std::log10(raw)));
  double step = 10 * p;
  for (double m : {1.0, 2.0, 5.0}) {
    if (m * p >= raw) { step = m * p; break; }
  }
  std::vector<double> t;
  for (double v = std::ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) t.push_back(v);
  return t;
}

std::string LinePlot(const std::string& title, const std::string& y_label, const std::vector<Series>& series) {
  double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300;
  for (const Series& s : series) {
    for (auto [x, y] : s.points) {
      x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
    }
  }
  if (x0 > x1) x0 = 0, x1 = 1, y0 = 0, y1 = 1;
  if (x1 - x0 < 1) x1 = x0 + 1;
  const double pad = std::max(y1 - y0, std::abs(y1) * 0.05 + 1e-9) * 0.08;
  y0 -= pad, y1 += pad;
  auto X = [&](double v) { return kLeft + (v - x0) / (x1 - x0) * (kW - kLeft - kRight); };
  auto Y = [&](double v) { return kH - kBottom - (v - y0) / (y1 - y0) * (kH - kTop - kBottom); };
  std::string s = "<svg xmlns='http://www.w3.org/2000/svg' width='" + F("%.0f", kW) + "' height='" +
                  F("%.0f", kH) + "' font-family='sans-serif' font-size='11'>";
  s += "<text x='" + F("%.0f", (kW - kRight + kLeft) / 2) + "' y='16' text-anchor='middle' font-weight='bold'>" +
       Escape(title) + "</text>";
  s += "<rect x='" + F("%.0f", kLeft) + "' y='" + F("%.0f", kTop) + "' width='" + F("%.0f", kW - kLeft - kRight) +
       "' height='" + F("%.0f", kH - kTop - kBottom) + "' fill='none' stroke='#999'/>";
  for (double v : Ticks(x0, x1)) {
    s += "<text x='" + F("%.1f", X(v)) + "' y='" + F("%.0f", kH - kBottom + 14) + "' text-anchor='middle'>" +
         F("%.0f", v) + "</text>";
  }
  for (double v : Ticks(y0, y1)) {
    s += "<line x1='" + F("%.0f", kLeft) + "' x2='" + F("%.0f", kW - kRight) + "' y1='" + F("%.1f", Y(v)) +
         "' y2='" + F("%.1f", Y(v)) + "' stroke='#eee'/><text x='" + F("%.0f", kLeft - 4) + "' y='" +
         F("%.1f", Y(v) + 4) + "' text-anchor='end'>" + F("%.4g", v) + "</text>";
  }
  s += "<text x='" + F("%.0f", (kW - kRight + kLeft) / 2) + "' y='" + F("%.0f", kH - 6) +
       "' text-anchor='middle'>step</text><text transform='translate(14," + F("%.0f", (kTop + kH - kBottom) / 2) +
       ") rotate(-90)' text-anchor='middle'>" + Escape(y_label) + "</text>";
  for (size_t i = 0; i < series.size(); ++i) {
    const Series& ser = series[i];
    std::string d;
    for (auto [x, y] : ser.points) d += (d.empty() ? "M" : " L") + F("%.1f", X(x)) + "," + F("%.1f", Y(y));
    if (!d.empty()) s += "<path d='" + d + "' fill='none' stroke='" + ser.color + "' stroke-width='1.5'/>";
    for (auto [x, y] : ser.dots ? ser.points : std::vector<std::pair<double, double>>{}) {
      s += "<circle cx='" + F("%.1f", X(x)) + "' cy='" + F("%.1f", Y(y)) + "' r='3' fill='" + ser.color +
           "'><title>step " + F("%.0f", x) + ": " + F("%.4g", y) + "</title></circle>";
    }
    const double ly = kTop + 14 + 16 * static_cast<double>(i);
    s += "<line x1='" + F("%.0f", kW - kRight + 10) + "' x2='" + F("%.0f", kW - kRight + 28) + "' y1='" +
         F("%.0f", ly - 4) + "' y2='" + F("%.0f", ly - 4) + "' stroke='" + ser.color + "' stroke-width='2'/>" +
         "<text x='" + F("%.0f", kW - kRight + 32) + "' y='" + F("%.0f", ly) + "'>" + Escape(ser.name) + "</text>";
  }
  return s + "</svg>";
}

}  // namespace

Status WriteTrainReport(const TrainReport& r, const std::string& title, const std::string& path) {
  Series total{"total", "#1f77b4", {}}, box{"box", "#2ca02c", {}}, cls{"class", "#ff7f0e", {}};
  for (const TrainProgress& p : r.steps) {
    total.points.push_back({p.step, p.box_loss + p.class_loss});
    box.points.push_back({p.step, p.box_loss});
    cls.points.push_back({p.step, p.class_loss});
  }
  Series ap{"AP", "#d62728", {}, true}, ap50{"AP50", "#9467bd", {}, true};
  for (const TrainEvalPoint& e : r.evals) {
    if (e.ap >= 0) ap.points.push_back({e.step, 100 * e.ap});
    if (e.ap50 >= 0) ap50.points.push_back({e.step, 100 * e.ap50});
  }
  std::string html = "<!DOCTYPE html><html><head><meta charset='utf-8'><title>" + Escape(title) +
                     "</title></head><body style='font-family:sans-serif'><h1>" + Escape(title) + "</h1><p>" +
                     std::to_string(r.steps.size()) + " steps on " + std::to_string(r.training_images) +
                     " images, " + F("%.1f", r.seconds) + " s" +
                     (r.resumed_from > 0 ? "; resumed from the checkpoint of step " + std::to_string(r.resumed_from)
                                         : std::string()) +
                     ".</p>" + LinePlot("Loss per step", "loss", {total, box, cls});
  if (!r.evals.empty()) {
    html += LinePlot("COCO AP during training", "AP (%)", {ap, ap50});
    html += "<table border='1' cellpadding='4' style='border-collapse:collapse'><tr><th>step</th><th>AP</th>"
            "<th>AP50</th></tr>";
    for (const TrainEvalPoint& e : r.evals) {
      html += "<tr><td>" + std::to_string(e.step) + "</td><td>" + F("%.1f", 100 * e.ap) + "</td><td>" +
              F("%.1f", 100 * e.ap50) + "</td></tr>";
    }
    html += "</table>";
  }
  return WriteTextFileAtomic(path, html + "</body></html>\n");
}

}  // namespace detlite
