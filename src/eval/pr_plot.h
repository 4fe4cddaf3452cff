// A precision-recall curve as a small standalone SVG.
#ifndef DETLITE_EVAL_PR_PLOT_H_
#define DETLITE_EVAL_PR_PLOT_H_

#include <string>
#include <vector>

namespace detlite::eval {

// `precision[r]` is the precision at recall r / (n - 1); values < 0 (recall
// never reached) end the curve. The title is escaped.
std::string PrecisionRecallSvg(const std::vector<double>& precision, const std::string& title,
                               int width = 280, int height = 220);

std::string HtmlEscape(const std::string& s);

}  // namespace detlite::eval

#endif  // DETLITE_EVAL_PR_PLOT_H_
