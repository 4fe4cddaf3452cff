// `detlite train --loss ssd --pipeline-config FILE`: the matcher and loss
// settings of an Object Detection API pipeline.config applied to the SSD
// loss, or a clear refusal naming what detlite's loss cannot compute.
#ifndef DETLITE_API_TRAIN_SSD_CONFIG_H_
#define DETLITE_API_TRAIN_SSD_CONFIG_H_

#include <string>

#include "detlite/status.h"
#include "train/ssd_loss.h"

namespace detlite::api {

// Reads `path` and overwrites the matcher, weights, classification loss
// and hard-mining fields of `loss` that the config sets.
Status ApplyPipelineLossSettings(const std::string& path, train::SsdLossOptions* loss);

}  // namespace detlite::api

#endif  // DETLITE_API_TRAIN_SSD_CONFIG_H_
