#include "eval/pr_plot.h"

#include <cstdio>

namespace detlite::eval {

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

std::string PrecisionRecallSvg(const std::vector<double>& precision, const std::string& title,
                               int width, int height) {
  const double left = 36, right = 8, top = 22, bottom = 28;
  const double pw = width - left - right, ph = height - top - bottom;
  char buf[1024];
  std::string svg;
  std::snprintf(buf, sizeof(buf),
                "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' "
                "font-family='sans-serif' font-size='10'>",
                width, height);
  svg += buf;
  std::snprintf(buf, sizeof(buf), "<text x='%g' y='14' font-size='12'>", left);
  svg += buf + HtmlEscape(title) + "</text>";
  for (int i = 0; i <= 4; ++i) {  // grid and tick labels every 0.25
    double v = i / 4.0;
    double y = top + ph * (1 - v), x = left + pw * v;
    std::snprintf(buf, sizeof(buf),
                  "<line x1='%g' y1='%g' x2='%g' y2='%g' stroke='#ddd'/>"
                  "<line x1='%g' y1='%g' x2='%g' y2='%g' stroke='#ddd'/>"
                  "<text x='%g' y='%g' text-anchor='end'>%.2f</text>"
                  "<text x='%g' y='%g' text-anchor='middle'>%.2f</text>",
                  left, y, left + pw, y, x, top, x, top + ph, left - 3, y + 3, v, x,
                  top + ph + 12, v);
    svg += buf;
  }
  std::snprintf(buf, sizeof(buf),
                "<text x='%g' y='%d' text-anchor='middle'>recall</text>"
                "<text x='10' y='%g' transform='rotate(-90 10 %g)' text-anchor='middle'>"
                "precision</text>",
                left + pw / 2, height - 2, top + ph / 2, top + ph / 2);
  svg += buf;
  std::string points;
  const size_t n = precision.size();
  for (size_t r = 0; r < n && n > 1; ++r) {
    if (precision[r] < 0) break;
    double x = left + pw * static_cast<double>(r) / static_cast<double>(n - 1);
    double y = top + ph * (1 - precision[r]);
    std::snprintf(buf, sizeof(buf), "%.1f,%.1f ", x, y);
    points += buf;
  }
  if (!points.empty()) {
    svg += "<polyline fill='none' stroke='#1f77b4' stroke-width='2' points='" + points + "'/>";
  } else {
    std::snprintf(buf, sizeof(buf), "<text x='%g' y='%g' text-anchor='middle'>no detections matched</text>",
                  left + pw / 2, top + ph / 2);
    svg += buf;
  }
  svg += "</svg>";
  return svg;
}

}  // namespace detlite::eval
