// Inline SVG scatter plots for the sweep report.
#ifndef DETLITE_SWEEP_REPORT_PLOT_H_
#define DETLITE_SWEEP_REPORT_PLOT_H_

#include <string>
#include <vector>

#include "detlite/sweep.h"

namespace detlite::sweep {

struct PlotPoint {
  double x = 0;  // cost: lower is better
  double y = 0;  // value: higher is better
  std::string color;
  std::string label;  // tooltip
  std::string tag;    // short text beside Pareto-optimal points
};

// Pareto-optimal points drawn solid and joined by a step line, the others
// faded.
std::string ScatterSvg(const std::string& title, const std::string& x_label,
                       const std::string& y_label, const std::vector<PlotPoint>& points);

std::string HtmlEscape(const std::string& s);

}  // namespace detlite::sweep

#endif  // DETLITE_SWEEP_REPORT_PLOT_H_
