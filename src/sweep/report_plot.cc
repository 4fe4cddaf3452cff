// The report's scatter plots: inline SVG, the Pareto front as a step line,
// dominated trials faded.
#include "sweep/report_plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace detlite::sweep {
namespace {

constexpr double kW = 480, kH = 330, kLeft = 56, kRight = 16, kTop = 28, kBottom = 44;

std::string Fmt(const char* f, double v) {
  char buf[48];
  std::snprintf(buf, sizeof(buf), f, v);
  return buf;
}

// A "nice" tick step giving about 5 ticks over `span`.
double TickStep(double span) {
  const double raw = span / 5.0;
  const double p = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * p >= raw) return m * p;
  }
  return 10 * p;
}

}  // namespace

std::string HtmlEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string ScatterSvg(const std::string& title, const std::string& x_label,
                       const std::string& y_label, const std::vector<PlotPoint>& points) {
  std::vector<ParetoPoint> pp;
  for (const PlotPoint& p : points) pp.push_back({p.x, p.y});
  std::vector<size_t> front = ParetoFront(pp);
  double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
  if (!points.empty()) {
    x1 = y1 = -1e300;
    x0 = y0 = 1e300;
    for (const PlotPoint& p : points) {
      x0 = std::min(x0, p.x), x1 = std::max(x1, p.x);
      y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
    }
    const double dx = std::max(x1 - x0, std::abs(x1) * 0.1 + 1e-9);
    const double dy = std::max(y1 - y0, std::abs(y1) * 0.1 + 1e-9);
    x0 = std::max(0.0, x0 - dx * 0.1), x1 += dx * 0.1;
    y0 = std::max(0.0, y0 - dy * 0.15), y1 += dy * 0.15;
  }
  auto X = [&](double v) { return kLeft + (v - x0) / (x1 - x0) * (kW - kLeft - kRight); };
  auto Y = [&](double v) { return kH - kBottom - (v - y0) / (y1 - y0) * (kH - kTop - kBottom); };
  std::string s = "<svg xmlns='http://www.w3.org/2000/svg' width='" + Fmt("%.0f", kW) +
                  "' height='" + Fmt("%.0f", kH) + "' font-size='11' font-family='sans-serif'>";
  s += "<text x='" + Fmt("%.0f", kW / 2) + "' y='16' text-anchor='middle' font-weight='bold'>" +
       HtmlEscape(title) + "</text>";
  s += "<rect x='" + Fmt("%.1f", kLeft) + "' y='" + Fmt("%.1f", kTop) + "' width='" +
       Fmt("%.1f", kW - kLeft - kRight) + "' height='" + Fmt("%.1f", kH - kTop - kBottom) +
       "' fill='none' stroke='#999'/>";
  for (int axis = 0; axis < 2; ++axis) {
    const double lo = axis == 0 ? x0 : y0, hi = axis == 0 ? x1 : y1;
    const double step = TickStep(hi - lo);
    for (double v = std::ceil(lo / step) * step; v <= hi + 1e-12; v += step) {
      const std::string label = Fmt(step < 0.1 ? "%.2f" : step < 1 ? "%.1f" : "%.0f", v);
      if (axis == 0) {
        s += "<text x='" + Fmt("%.1f", X(v)) + "' y='" + Fmt("%.1f", kH - kBottom + 14) +
             "' text-anchor='middle'>" + label + "</text>";
      } else {
        s += "<text x='" + Fmt("%.1f", kLeft - 4) + "' y='" + Fmt("%.1f", Y(v) + 4) +
             "' text-anchor='end'>" + label + "</text>";
      }
    }
  }
  s += "<text x='" + Fmt("%.0f", (kLeft + kW - kRight) / 2) + "' y='" + Fmt("%.0f", kH - 8) +
       "' text-anchor='middle'>" + HtmlEscape(x_label) + "</text>";
  s += "<text transform='translate(14," + Fmt("%.0f", (kTop + kH - kBottom) / 2) +
       ") rotate(-90)' text-anchor='middle'>" + HtmlEscape(y_label) + "</text>";
  std::vector<size_t> order = front;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return points[a].x < points[b].x; });
  if (!order.empty()) {
    std::string path = "M" + Fmt("%.1f", X(points[order[0]].x)) + "," + Fmt("%.1f", Y(points[order[0]].y));
    for (size_t k = 1; k < order.size(); ++k) {
      const PlotPoint& p = points[order[k]];
      path += " H" + Fmt("%.1f", X(p.x)) + " V" + Fmt("%.1f", Y(p.y));
    }
    s += "<path d='" + path + "' fill='none' stroke='#d62728' stroke-width='1.5'/>";
  }
  for (size_t i = 0; i < points.size(); ++i) {
    const PlotPoint& p = points[i];
    const bool on_front = std::find(front.begin(), front.end(), i) != front.end();
    s += "<circle cx='" + Fmt("%.1f", X(p.x)) + "' cy='" + Fmt("%.1f", Y(p.y)) + "' r='5' fill='" +
         p.color + "' opacity='" + (on_front ? "1" : "0.25") + "' stroke='" +
         (on_front ? "#000" : "none") + "'><title>" + HtmlEscape(p.label) + "</title></circle>";
    if (on_front) {
      s += "<text x='" + Fmt("%.1f", X(p.x) + 7) + "' y='" + Fmt("%.1f", Y(p.y) - 6) +
           "' font-size='10'>" + HtmlEscape(p.tag) + "</text>";
    }
  }
  return s + "</svg>";
}

}  // namespace detlite::sweep
