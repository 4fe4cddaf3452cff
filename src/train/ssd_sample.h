// A labelled training photo for the SSD loss (finetune.h, and QAT with
// `--loss ssd`, qat.h), and how a run loads one.
#ifndef DETLITE_TRAIN_SSD_SAMPLE_H_
#define DETLITE_TRAIN_SSD_SAMPLE_H_

#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "detlite/status.h"
#include "train/ssd_match.h"

namespace detlite::train {

// One training photo, preprocessed, with its boxes normalized to it.
struct SsdSample {
  std::vector<float> input;
  std::vector<GroundTruthBox> boxes;
  std::string name;  // in errors
};

// Loads sample `index` with the augmentation drawn from `augment_seed`.
using SsdSampleLoader = std::function<StatusOr<SsdSample>(int index, uint64_t augment_seed)>;

// A batch of `batch` photos drawn from `num_samples`: two draws of `rng` per
// photo, in a fixed order (which photo, then its augmentation seed), so a
// seed (and a resumed generator state) gives the same batches.
StatusOr<std::vector<SsdSample>> DrawSsdBatch(std::mt19937_64& rng, int num_samples, int batch,
                                              const SsdSampleLoader& load);

}  // namespace detlite::train

#endif  // DETLITE_TRAIN_SSD_SAMPLE_H_
