#include "train/ssd_sample.h"

#include <utility>

namespace detlite::train {

StatusOr<std::vector<SsdSample>> DrawSsdBatch(std::mt19937_64& rng, int num_samples, int batch,
                                              const SsdSampleLoader& load) {
  std::vector<SsdSample> out;
  for (int b = 0; b < batch; ++b) {
    const int i = static_cast<int>(rng() % static_cast<uint64_t>(num_samples));
    const uint64_t augment_seed = rng();
    ASSIGN_OR_RETURN(SsdSample sample, load(i, augment_seed));
    out.push_back(std::move(sample));
  }
  return out;
}

}  // namespace detlite::train
