// Which builtin options table each builtin operator takes: a fact of the
// format (the TFLite runtime parses each op's parameters from exactly one
// table type), used to reject an operator carrying another op's options.
#include "importers/tflite/options_table.h"

namespace detlite::tflite_import {

fb::BuiltinOptions ExpectedOptions(int32_t code) {
  using B = fb::BuiltinOperator;
  using O = fb::BuiltinOptions;
  switch (static_cast<B>(code)) {
    case B::ADD: return O::AddOptions;
    case B::AVERAGE_POOL_2D:
    case B::L2_POOL_2D:
    case B::MAX_POOL_2D: return O::Pool2DOptions;
    case B::CONCATENATION: return O::ConcatenationOptions;
    case B::CONV_2D: return O::Conv2DOptions;
    case B::DEPTHWISE_CONV_2D: return O::DepthwiseConv2DOptions;
    case B::DEPTH_TO_SPACE: return O::DepthToSpaceOptions;
    case B::DEQUANTIZE: return O::DequantizeOptions;
    case B::FULLY_CONNECTED: return O::FullyConnectedOptions;
    case B::L2_NORMALIZATION: return O::L2NormOptions;
    case B::LOCAL_RESPONSE_NORMALIZATION:
      return O::LocalResponseNormalizationOptions;
    case B::LSH_PROJECTION: return O::LSHProjectionOptions;
    case B::LSTM: return O::LSTMOptions;
    case B::MUL: return O::MulOptions;
    case B::RESHAPE: return O::ReshapeOptions;
    case B::RESIZE_BILINEAR: return O::ResizeBilinearOptions;
    case B::RNN: return O::RNNOptions;
    case B::SOFTMAX: return O::SoftmaxOptions;
    case B::SPACE_TO_DEPTH: return O::SpaceToDepthOptions;
    case B::SVDF: return O::SVDFOptions;
    case B::CONCAT_EMBEDDINGS: return O::ConcatEmbeddingsOptions;
    case B::SKIP_GRAM: return O::SkipGramOptions;
    case B::CALL: return O::CallOptions;
    case B::EMBEDDING_LOOKUP_SPARSE: return O::EmbeddingLookupSparseOptions;
    case B::PAD: return O::PadOptions;
    case B::UNIDIRECTIONAL_SEQUENCE_RNN: return O::SequenceRNNOptions;
    case B::GATHER: return O::GatherOptions;
    case B::BATCH_TO_SPACE_ND: return O::BatchToSpaceNDOptions;
    case B::SPACE_TO_BATCH_ND: return O::SpaceToBatchNDOptions;
    case B::TRANSPOSE: return O::TransposeOptions;
    case B::MEAN:
    case B::SUM:
    case B::REDUCE_PROD:
    case B::REDUCE_MAX:
    case B::REDUCE_MIN:
    case B::REDUCE_ANY:
    case B::REDUCE_ALL: return O::ReducerOptions;
    case B::SUB: return O::SubOptions;
    case B::DIV: return O::DivOptions;
    case B::SQUEEZE: return O::SqueezeOptions;
    case B::UNIDIRECTIONAL_SEQUENCE_LSTM:
      return O::UnidirectionalSequenceLSTMOptions;
    case B::STRIDED_SLICE: return O::StridedSliceOptions;
    case B::BIDIRECTIONAL_SEQUENCE_RNN:
      return O::BidirectionalSequenceRNNOptions;
    case B::EXP: return O::ExpOptions;
    case B::TOPK_V2: return O::TopKV2Options;
    case B::SPLIT: return O::SplitOptions;
    case B::LOG_SOFTMAX: return O::LogSoftmaxOptions;
    case B::BIDIRECTIONAL_SEQUENCE_LSTM:
      return O::BidirectionalSequenceLSTMOptions;
    case B::CAST: return O::CastOptions;
    case B::MAXIMUM:
    case B::MINIMUM: return O::MaximumMinimumOptions;
    case B::ARG_MAX: return O::ArgMaxOptions;
    case B::LESS: return O::LessOptions;
    case B::NEG: return O::NegOptions;
    case B::PADV2: return O::PadV2Options;
    case B::GREATER: return O::GreaterOptions;
    case B::GREATER_EQUAL: return O::GreaterEqualOptions;
    case B::LESS_EQUAL: return O::LessEqualOptions;
    case B::SELECT: return O::SelectOptions;
    case B::SLICE: return O::SliceOptions;
    case B::TRANSPOSE_CONV: return O::TransposeConvOptions;
    case B::SPARSE_TO_DENSE: return O::SparseToDenseOptions;
    case B::TILE: return O::TileOptions;
    case B::EXPAND_DIMS: return O::ExpandDimsOptions;
    case B::EQUAL: return O::EqualOptions;
    case B::NOT_EQUAL: return O::NotEqualOptions;
    case B::SHAPE: return O::ShapeOptions;
    case B::POW: return O::PowOptions;
    case B::ARG_MIN: return O::ArgMinOptions;
    case B::FAKE_QUANT: return O::FakeQuantOptions;
    case B::PACK: return O::PackOptions;
    case B::LOGICAL_OR: return O::LogicalOrOptions;
    case B::ONE_HOT: return O::OneHotOptions;
    case B::LOGICAL_AND: return O::LogicalAndOptions;
    case B::LOGICAL_NOT: return O::LogicalNotOptions;
    case B::UNPACK: return O::UnpackOptions;
    case B::FLOOR_DIV: return O::FloorDivOptions;
    case B::SQUARE: return O::SquareOptions;
    case B::ZEROS_LIKE: return O::ZerosLikeOptions;
    case B::FILL: return O::FillOptions;
    case B::FLOOR_MOD: return O::FloorModOptions;
    case B::RANGE: return O::RangeOptions;
    case B::RESIZE_NEAREST_NEIGHBOR: return O::ResizeNearestNeighborOptions;
    case B::LEAKY_RELU: return O::LeakyReluOptions;
    case B::SQUARED_DIFFERENCE: return O::SquaredDifferenceOptions;
    case B::MIRROR_PAD: return O::MirrorPadOptions;
    case B::ABS: return O::AbsOptions;
    case B::SPLIT_V: return O::SplitVOptions;
    case B::UNIQUE: return O::UniqueOptions;
    case B::REVERSE_V2: return O::ReverseV2Options;
    case B::ADD_N: return O::AddNOptions;
    case B::GATHER_ND: return O::GatherNdOptions;
    case B::COS: return O::CosOptions;
    case B::WHERE: return O::WhereOptions;
    case B::RANK: return O::RankOptions;
    case B::REVERSE_SEQUENCE: return O::ReverseSequenceOptions;
    case B::MATRIX_DIAG: return O::MatrixDiagOptions;
    case B::QUANTIZE: return O::QuantizeOptions;
    case B::MATRIX_SET_DIAG: return O::MatrixSetDiagOptions;
    case B::HARD_SWISH: return O::HardSwishOptions;
    case B::IF: return O::IfOptions;
    case B::WHILE: return O::WhileOptions;
    case B::NON_MAX_SUPPRESSION_V4: return O::NonMaxSuppressionV4Options;
    case B::NON_MAX_SUPPRESSION_V5: return O::NonMaxSuppressionV5Options;
    case B::SCATTER_ND: return O::ScatterNdOptions;
    case B::SELECT_V2: return O::SelectV2Options;
    case B::DENSIFY: return O::DensifyOptions;
    case B::SEGMENT_SUM: return O::SegmentSumOptions;
    case B::BATCH_MATMUL: return O::BatchMatMulOptions;
    case B::CUMSUM: return O::CumsumOptions;
    case B::CALL_ONCE: return O::CallOnceOptions;
    case B::BROADCAST_TO: return O::BroadcastToOptions;
    case B::RFFT2D: return O::Rfft2dOptions;
    case B::CONV_3D:
    case B::CONV_3D_TRANSPOSE: return O::Conv3DOptions;
    case B::HASHTABLE: return O::HashtableOptions;
    case B::HASHTABLE_FIND: return O::HashtableFindOptions;
    case B::HASHTABLE_IMPORT: return O::HashtableImportOptions;
    case B::HASHTABLE_SIZE: return O::HashtableSizeOptions;
    case B::VAR_HANDLE: return O::VarHandleOptions;
    case B::READ_VARIABLE: return O::ReadVariableOptions;
    case B::ASSIGN_VARIABLE: return O::AssignVariableOptions;
    case B::RANDOM_STANDARD_NORMAL:
    case B::RANDOM_UNIFORM:
    case B::MULTINOMIAL: return O::RandomOptions;
    case B::BUCKETIZE: return O::BucketizeOptions;
    case B::GELU: return O::GeluOptions;
    case B::DYNAMIC_UPDATE_SLICE: return O::DynamicUpdateSliceOptions;
    case B::UNSORTED_SEGMENT_PROD: return O::UnsortedSegmentProdOptions;
    case B::UNSORTED_SEGMENT_MAX: return O::UnsortedSegmentMaxOptions;
    case B::UNSORTED_SEGMENT_SUM: return O::UnsortedSegmentSumOptions;
    case B::UNSORTED_SEGMENT_MIN: return O::UnsortedSegmentMinOptions;
    case B::ATAN2: return O::ATan2Options;
    case B::SIGN: return O::SignOptions;
    case B::BITCAST: return O::BitcastOptions;
    case B::BITWISE_XOR: return O::BitwiseXorOptions;
    case B::RIGHT_SHIFT: return O::RightShiftOptions;
    default: return O::NONE;
  }
}

}  // namespace detlite::tflite_import
