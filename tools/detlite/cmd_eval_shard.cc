// detlite eval MODEL --dataset PATH [--shard K/N] -o part.json [--json]
// detlite eval merge part.json... [--report FILE.html] [--json]
#include <cstdio>
#include <iostream>
#include <memory>

#include "cli_common.h"
#include "detlite/eval_shard.h"
#include "detlite/shard.h"
#include "eval_params.h"
#include "json_util.h"

namespace detlite::cli {

// -o part.json: this shard's detections, for eval merge.
Status RunEvalShard(const EvalParams& p) {
  if (p.model.empty()) return InvalidArgument("eval -o: give the MODEL to run");
  if (!p.detections.empty() || !p.compare_to.empty() || !p.report.empty()) {
    return InvalidArgument(
        "eval -o writes a part file for 'eval merge': --detections, --compare-to and --report "
        "do not apply (give --report to eval merge)");
  }
  RETURN_IF_ERROR(CheckOutputPath("-o", p.part, {p.model, p.dataset, p.labels}));
  std::string source;
  ASSIGN_OR_RETURN(Shard shard, ChooseShard(p.shard, &source));
  ASSIGN_OR_RETURN(Model model, Model::Load(p.model));
  EvalOptions o = ModelEvalOptions(p);
  auto progress = std::make_shared<Progress>("eval", 0);
  o.progress = [&progress](int64_t done, int64_t total) {
    if (done == 1) progress = std::make_shared<Progress>("eval", total);
    progress->Update(done);
  };
  if (!source.empty() && !p.json) {
    std::fprintf(stderr, "eval: shard %d/%d (from %s)\n", shard.index, shard.count,
                 source.c_str());
  }
  ASSIGN_OR_RETURN(EvalPartInfo info, EvaluateModelShard(model, p.dataset, o, shard, p.part));
  progress->Finish();
  if (p.json) {
    nlohmann::json j = {{"part", info.path}, {"shard", std::to_string(shard.index) + "/" +
                                                           std::to_string(shard.count)},
                        {"images", info.images}, {"dataset_images", info.dataset_images},
                        {"detections", info.detections}, {"seconds", info.seconds},
                        {"model_hash", info.model_hash}, {"dataset_hash", info.dataset_hash}};
    std::cout << DumpJson(j, 2) << "\n";
  } else {
    std::printf("shard %d/%d: %lld of %lld photos, %lld detections -> %s (%.1f s)\n",
                shard.index, shard.count, static_cast<long long>(info.images),
                static_cast<long long>(info.dataset_images),
                static_cast<long long>(info.detections), info.path.c_str(), info.seconds);
    std::printf("when every shard is done: detlite eval merge PART... [--report r.html]\n");
  }
  return Status::Ok();
}

Status RunEvalMerge(const EvalParams& p) {
  if (!p.report.empty()) RETURN_IF_ERROR(CheckOutputPath("--report", p.report, p.merge_parts));
  ASSIGN_OR_RETURN(EvalResult result, MergeEvalParts(p.merge_parts));
  return PrintResult(p, result);
}

}  // namespace detlite::cli
