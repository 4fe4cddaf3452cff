// WriteEvalReport: one self-contained HTML file (no scripts, no external
// files) a user can open or attach to a bug.
#include <cstdio>

#include "core/base64.h"
#include "core/file_io.h"
#include "data/image.h"
#include "detlite/evaluate.h"
#include "eval/pr_plot.h"

namespace detlite {
namespace {

std::string Num(double v, const char* fmt = "%.3f") {
  if (v < 0) return "&ndash;";
  char buf[32];
  std::snprintf(buf, sizeof(buf), fmt, v);
  return buf;
}

constexpr char kStyle[] =
    "<style>body{font-family:sans-serif;margin:24px;color:#222}"
    "table{border-collapse:collapse;margin:8px 0 20px}td,th{border:1px solid #ccc;"
    "padding:3px 8px;text-align:right}th{background:#f3f3f3}td.l,th.l{text-align:left}"
    ".plots svg,.photos figure{display:inline-block;margin:4px}"
    ".photos img{max-width:420px;border:1px solid #ccc}.photos img.wide{max-width:860px}</style>";

}  // namespace

Status WriteEvalReport(const EvalResult& r, const std::string& path) {
  using eval::HtmlEscape;
  std::string h = "<!DOCTYPE html><html><head><meta charset='utf-8'><title>detlite eval</title>";
  h += kStyle;
  h += "</head><body><h1>detlite eval</h1><p>model <code>" + HtmlEscape(r.model) +
       "</code><br>dataset <code>" + HtmlEscape(r.dataset) + "</code><br>" +
       std::to_string(r.coco.images) + " images, " + std::to_string(r.coco.ground_truth) +
       " ground-truth boxes, " + std::to_string(r.coco.detections) + " detections scored";
  if (r.mean_invoke_ms > 0) h += "; " + Num(r.mean_invoke_ms, "%.1f") + " ms per image (model only)";
  h += "</p>";
  for (const auto& n : r.notes) h += "<p><em>" + HtmlEscape(n) + "</em></p>";
  h += "<h2>COCO metrics</h2><table><tr>";
  for (const char* name : CocoStatNames()) h += std::string("<th>") + name + "</th>";
  h += "</tr><tr>";
  for (double v : r.coco.stats) h += "<td>" + Num(v) + "</td>";
  h += "</tr></table><h2>Per class</h2><table><tr><th class='l'>class</th><th>id</th>"
       "<th>ground truth</th><th>detections</th><th>AP</th><th>AP50</th></tr>";
  for (const ClassMetrics& c : r.coco.classes) {
    h += "<tr><td class='l'>" + HtmlEscape(c.name) + "</td><td>" + std::to_string(c.category_id) +
         "</td><td>" + std::to_string(c.num_gt) + "</td><td>" +
         std::to_string(c.num_detections) + "</td><td>" + Num(c.ap) + "</td><td>" +
         Num(c.ap50) + "</td></tr>";
  }
  h += "</table><h2>Precision-recall at IoU 0.50</h2><div class='plots'>";
  for (const ClassMetrics& c : r.coco.classes) {
    if (c.num_gt == 0) continue;
    h += eval::PrecisionRecallSvg(c.precision_at_recall, c.name + " (AP50 " + Num(c.ap50) + ")");
  }
  h += "</div>";
  if (!r.samples.empty()) {
    h += "<h2>Photos</h2><p>White: ground truth. Coloured: detections with scores.</p>"
         "<div class='photos'>";
    for (const EvalSample& s : r.samples) {
      Image img{s.drawn.width, s.drawn.height, 3, s.drawn.pixels};
      auto png = EncodePng(img);
      if (!png.ok()) return png.status().WithContext(s.name);
      h += "<figure><img src='data:image/png;base64," + Base64Encode(*png) + "' alt='" +
           HtmlEscape(s.name) + "'><figcaption>" + HtmlEscape(s.name) + "</figcaption></figure>";
    }
    h += "</div>";
  }
  if (!r.reference.empty()) {
    h += "<h2>Against the reference</h2><p>reference <code>" + HtmlEscape(r.reference) +
         "</code>, same photos, preprocessing and class mapping.</p><table><tr><th></th>";
    for (size_t i = 0; i < 6; ++i) h += std::string("<th>") + CocoStatNames()[i] + "</th>";
    h += "</tr><tr><td class='l'>reference</td>";
    for (size_t i = 0; i < 6; ++i) h += "<td>" + Num(r.reference_coco.stats[i]) + "</td>";
    h += "</tr><tr><td class='l'>this model</td>";
    for (size_t i = 0; i < 6; ++i) h += "<td>" + Num(r.coco.stats[i]) + "</td>";
    h += "</tr></table>";
    if (r.worst.empty()) h += "<p>No photo loses AP against the reference.</p>";
    if (!r.worst.empty()) {
      h += "<h3>Photos losing most AP</h3><p>Left: reference. Right: this model. White: ground "
           "truth. Boxes at or above the draw threshold.</p><div class='photos'>";
    }
    for (const ImageComparison& c : r.worst) {
      Image img{c.drawn.width, c.drawn.height, 3, c.drawn.pixels};
      auto png = EncodePng(img);
      if (!png.ok()) return png.status().WithContext(c.name);
      h += "<figure><img class='wide' src='data:image/png;base64," + Base64Encode(*png) +
           "' alt='" + HtmlEscape(c.name) + "'><figcaption>" + HtmlEscape(c.name) + ": AP " +
           Num(c.reference_ap) + " &rarr; " + Num(c.ap) + ", " +
           std::to_string(c.reference_detections) + " &rarr; " + std::to_string(c.detections) +
           " boxes</figcaption></figure>";
    }
    if (!r.worst.empty()) h += "</div>";
  }
  h += "</body></html>\n";
  return WriteFileAtomic(path, std::string_view(h));
}

}  // namespace detlite
