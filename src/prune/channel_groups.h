// Channel-dependency groups of a float NHWC graph, for channel pruning.
//
// Every channel of every 4-D activation tensor is a node. Ops that carry a
// channel through unchanged (element-wise activations, ADD/MUL of equally
// wide tensors, pools, resizes, depthwise convolutions with multiplier 1,
// PAD) tie their input and output nodes; concatenation along channels ties
// each input's node to the output's at its offset. A class of tied nodes is
// one channel that can only be removed everywhere at once. Its sources are
// the CONV_2D output channels in it (their filters give it its norm); PAD's
// channel padding makes nodes with no source (zeros). Anything the walker
// does not understand (a reshape across channels, a graph input or output,
// an op it cannot rewrite) pins the tensors it touches: classes with a
// pinned node are never removed.
//
// A group is the set of classes with the same sources (all channels of one
// expand conv; all channels of a residual stream, tied through its ADDs).
#ifndef DETLITE_PRUNE_CHANNEL_GROUPS_H_
#define DETLITE_PRUNE_CHANNEL_GROUPS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace detlite::prune {

struct ChannelSource {
  int op = 0;       // CONV_2D op index
  int32_t channel = 0;  // its output channel
};

struct ChannelClass {
  std::vector<ChannelSource> sources;
  bool pinned = false;
  double norm = 0;  // L2 norm of the sources' filters (all of them together)
};

struct ChannelGroup {
  std::vector<int> source_ops;  // sorted CONV_2D op indices
  std::vector<int> classes;     // indices into ChannelGraph::classes
  std::string unprunable;       // why not, if so
  std::string name;             // the first source op's output tensor
};

struct ChannelGraph {
  std::vector<int64_t> offset;  // per tensor: its first node, -1 if it has none
  std::vector<int> node_class;  // node -> class
  std::vector<ChannelClass> classes;
  std::vector<ChannelGroup> groups;
  // Why tensors were pinned, one line per distinct reason (for reports).
  std::vector<std::string> pin_reasons;

  int Channels(const ir::Subgraph& sg, int32_t t) const;
  int ClassOf(int32_t t, int c) const { return node_class[static_cast<size_t>(offset[static_cast<size_t>(t)] + c)]; }
};

// The float constant an op input `t` reads: t itself (float32 or float16),
// or the float16 constant behind the DEQUANTIZE producing t; -1 if neither
// (or sparse-encoded). `producer` is Producers(sg).
int32_t ConstantBehind(const ir::Subgraph& sg, const std::vector<int32_t>& producer, int32_t t);
// Per tensor, the index of the op writing it, -1 for none.
std::vector<int32_t> Producers(const ir::Subgraph& sg);

// Builds the graph of subgraph `sg`. `keep_first_conv` makes the groups fed
// by the first CONV_2D (in execution order) unprunable.
ChannelGraph BuildChannelGraph(const ir::Subgraph& sg, bool keep_first_conv);

}  // namespace detlite::prune

#endif  // DETLITE_PRUNE_CHANNEL_GROUPS_H_
