// The metadata TFLite's converter records in every model it writes:
// "min_runtime_version" (the oldest runtime that has every op version used,
// a 16-byte zero-padded string) and "CONVERSION_METADATA" (a flatbuffer
// naming the optimization modes applied), written from the IR's
// ir::Model::optimizations when a model is exported.
#ifndef DETLITE_EXPORTERS_TFLITE_CONVERSION_METADATA_H_
#define DETLITE_EXPORTERS_TFLITE_CONVERSION_METADATA_H_

#include <cstdint>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace detlite::tflite_export {

// Values of TFLite's ModelOptimizationMode enum (conversion_metadata.fbs).
inline constexpr int32_t kPtqFloat16 = 1001;
inline constexpr int32_t kPtqDynamicRange = 1002;
inline constexpr int32_t kPtqFullInteger = 1003;
inline constexpr int32_t kPtqInt16 = 1004;

// The minimum runtime version for the model's ops at the versions the
// writer will give them ("" when no op is in the table).
std::string MinRuntimeVersion(const ir::Model& model);

// The CONVERSION_METADATA flatbuffer: ConversionMetadata { environment:
// Environment { tensorflow_version }, options: ConversionOptions {
// model_optimization_modes } }.
std::vector<uint8_t> ConversionMetadataBytes(const std::vector<int32_t>& modes);
// Reads the modes back (for tests and inspect); empty on malformed bytes.
std::vector<int32_t> ReadConversionModes(const std::vector<uint8_t>& bytes);

// TFLite's mode for an IR optimization.
int32_t ConversionMode(ir::Optimization optimization);

// model.metadata with both entries set (replaced) when the model records
// optimizations; unchanged otherwise.
std::vector<ir::Metadata> MetadataToWrite(const ir::Model& model);

}  // namespace detlite::tflite_export

#endif  // DETLITE_EXPORTERS_TFLITE_CONVERSION_METADATA_H_
